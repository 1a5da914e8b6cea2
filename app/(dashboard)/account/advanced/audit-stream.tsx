import Link from "next/link";
import { auditTypeName } from "@/app/audit-words";
import { LocalTime } from "@/components/local-time";
import { Badge, Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { type AuditStreamView, readAuditStream } from "@/lib/audit/stream-settings";
import { isSudo } from "@/lib/sessions/sessions";
import { AuditStreamForm } from "./audit-stream-form";

type Delivery = AuditStreamView["deliveries"][number];

function Outcome({ delivery }: { delivery: Delivery }) {
  if (delivery.status === "delivered") return <Badge tone="green">Delivered · {delivery.lastStatusCode}</Badge>;
  if (delivery.status === "cancelled") return <Badge>Not sent: streaming turned off</Badge>;
  if (delivery.attempts === 0) return <Badge tone="indigo">Waiting</Badge>;
  return (
    <span>
      <Badge tone="red">Failed · {delivery.lastError}</Badge>{" "}
      <span className="text-slate-600">
        next try <LocalTime at={delivery.nextAttemptAt} relative />
      </span>
    </span>
  );
}

const attemptsText = (n: number) => (n === 0 ? "not tried yet" : n === 1 ? "1 attempt" : `${n} attempts`);

// A list rather than a table, so that a phone shows every column without scrolling.
function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <p className="text-sm text-slate-600">No deliveries yet.</p>;
  return (
    <ul aria-label="Latest deliveries, newest first" className="divide-y divide-slate-100 text-sm">
      {deliveries.map((delivery) => (
        <li key={delivery.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between sm:gap-4">
          <div>
            <p className="font-medium text-slate-900">{auditTypeName(delivery.event.type)}</p>
            <p className="text-slate-600">
              <LocalTime at={delivery.lastAttemptAt ?? delivery.createdAt} seconds /> ·{" "}
              {attemptsText(delivery.attempts)}
            </p>
          </div>
          <div className="sm:max-w-xs sm:text-right">
            <Outcome delivery={delivery} />
          </div>
        </li>
      ))}
    </ul>
  );
}

// Account settings → Advanced → Audit streaming (README "Audit streaming"). Anyone who
// administers the account sees the deliveries; changing the stream needs sudo mode.
export async function AuditStreamCard() {
  const session = await requireAdmin();
  const view = await readAuditStream({ actor: session.user });
  if (!view) return null;
  const { stream, deliveries } = view;
  return (
    <Card
      id="audit-stream"
      title="Audit streaming"
      description="Every audit event, sent as it happens to a webhook of yours (a SIEM or log collector), in order and signed so it can tell the events are ours."
    >
      <div className="space-y-5">
        <p className="text-sm text-slate-700">
          {stream?.enabled ? (
            <>
              <Badge tone="green">On</Badge> Sending to <span className="break-all font-mono">{stream.url}</span>
            </>
          ) : stream ? (
            <>
              <Badge>Off</Badge> Was sending to <span className="break-all font-mono">{stream.url}</span>
            </>
          ) : (
            <>
              <Badge>Off</Badge> No webhook set.
            </>
          )}
        </p>
        {isSudo(session) ? (
          <AuditStreamForm url={stream?.url ?? null} enabled={stream?.enabled ?? false} />
        ) : (
          <p className="text-sm text-slate-700">
            To change it,{" "}
            <Link href="/profile/confirm-password?next=/account/advanced" className="text-indigo-700 hover:underline">
              confirm it's you
            </Link>
            .
          </p>
        )}
        <div>
          <h3 className="text-sm font-medium text-slate-900">Latest deliveries</h3>
          <div className="mt-2">
            <Deliveries deliveries={deliveries} />
          </div>
        </div>
      </div>
    </Card>
  );
}
