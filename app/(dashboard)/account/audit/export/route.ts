import { parseAuditFilter } from "@/app/(dashboard)/account/audit/filter";
import { auditDetailText, auditTypeName } from "@/app/audit-words";
import { requireAdmin } from "@/dal";
import { exportAuditEvents } from "@/lib/audit/log";
import { csvRow } from "@/lib/format/csv";
import { describeUserAgent } from "@/lib/format/user-agent";

const HEADER = [
  "Time (UTC)",
  "Event",
  "Event type",
  "Details",
  "Details (JSON)",
  "Actor",
  "Actor email",
  "Target",
  "Target email",
  "IP",
  "Device",
  "User agent",
];

// The audit log as CSV, with the same filters as the page it is downloaded from. Admins
// only: requireAdmin sends anyone else away, and exportAuditEvents checks again.
export async function GET(request: Request) {
  const { user: actor } = await requireAdmin();
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = parseAuditFilter(query);
  if (!parsed.ok) {
    return new Response(`${Object.values(parsed.errors).join(" ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const batches = await exportAuditEvents({ actor, filter: parsed.filter });
  if (!batches) return new Response("Only administrators of this account can export its audit log.\n", { status: 403 });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // The byte order mark makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvRow(HEADER)}`));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) return controller.close();
      const text = next.value
        .map((e) =>
          csvRow([
            e.createdAt.toISOString(),
            auditTypeName(e.type),
            e.type,
            auditDetailText(e).join("; "),
            e.data ? JSON.stringify(e.data) : "",
            e.actor?.name,
            e.actor?.email,
            e.target?.name,
            e.target?.email,
            e.ip,
            e.userAgent ? describeUserAgent(e.userAgent) : "",
            e.userAgent,
          ]),
        )
        .join("");
      controller.enqueue(encoder.encode(text));
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
    },
  });
}
