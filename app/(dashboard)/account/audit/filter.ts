import { z } from "zod";
import { accountText } from "@/app/messages/account";
import type { AuditFilter } from "@/lib/audit/log";
import { AuditType } from "@/lib/audit/record";
import { isCalendarDay, isTimeZone, nextDay, startOfDay } from "@/lib/format/local-date";
import type { PageDirection } from "@/lib/platform/keyset";

// The audit log's filters as the page and its CSV export read them from the URL, so the
// export is exactly the view on screen.

const blank = (value: unknown) => (value === "" ? undefined : value);
const day = z.preprocess(blank, z.string().refine(isCalendarDay, accountText.auditDateInvalid).optional());

const schema = z
  .object({
    user: z.preprocess(blank, z.string().max(100).optional()),
    type: z.preprocess(blank, z.enum(Object.values(AuditType)).optional()),
    from: day,
    to: day,
    // The browser's IANA zone, filled in by the form; without JavaScript days are UTC days.
    tz: z.string().max(100).refine(isTimeZone).catch("UTC"),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ["to"],
    message: accountText.auditDatesReversed,
  });

type Query = Record<string, string | string[] | undefined>;

const text = (value: string | string[] | undefined) => (typeof value === "string" ? value.slice(0, 200) : "");

export function parseAuditFilter(query: Query) {
  const values = { user: text(query.user), type: text(query.type), from: text(query.from), to: text(query.to) };
  const parsed = schema.safeParse({ ...values, tz: text(query.tz) });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false as const, values, errors };
  }
  const { user, type, from, to, tz } = parsed.data;
  const filter: AuditFilter = {
    userId: user,
    type,
    from: from ? startOfDay(from, tz) : undefined,
    to: to ? startOfDay(nextDay(to), tz) : undefined,
  };
  return { ok: true as const, values, filter, tz };
}

export function parsePaging(query: Query): { cursor?: string; direction: PageDirection } {
  return { cursor: text(query.cursor) || undefined, direction: query.dir === "previous" ? "previous" : "next" };
}

// The query string of the current filters, for paging links and the export.
export function filterQuery(
  values: Record<string, string>,
  tz: string | undefined,
  extra: Record<string, string> = {},
) {
  const kept = Object.entries({ ...values, ...(tz ? { tz } : {}), ...extra }).filter(([, value]) => value !== "");
  return new URLSearchParams(kept).toString();
}
