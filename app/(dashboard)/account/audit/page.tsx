import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/app/(dashboard)/audit-table";
import { auditTypeText } from "@/app/audit-words";
import { TimeZoneField } from "@/components/time-zone-field";
import { Alert, buttonClass, Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { listAuditEvents } from "@/lib/audit/log";
import { AuditType } from "@/lib/audit/record";
import { listUserNames } from "@/lib/people/users-list";
import { filterQuery, parseAuditFilter, parsePaging } from "./filter";

export const metadata: Metadata = { title: "Audit log · Account settings" };

const PAGE_SIZE = 25;
const inputClass = "mt-1 block w-full rounded-md border bg-white px-3 py-2";

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user: actor } = await requireAdmin();
  const query = await searchParams;
  const parsed = parseAuditFilter(query);
  const [result, people] = await Promise.all([
    parsed.ok
      ? listAuditEvents({ actor, filter: parsed.filter, paging: { ...parsePaging(query), pageSize: PAGE_SIZE } })
      : null,
    listUserNames({ actor }),
  ]);
  const page = result?.ok ? result : null;
  const { values } = parsed;
  const errors = parsed.ok ? {} : parsed.errors;
  const tz = parsed.ok ? parsed.tz : undefined;
  const link = (extra: Record<string, string>) => `/account/audit?${filterQuery(values, tz, extra)}`;
  const errorId = (name: string) => (errors[name] ? `audit-${name}-error` : undefined);

  return (
    <Card id="audit" title="Audit log" description="Security events in this account, newest first.">
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm" noValidate>
        <div className="min-w-0 max-w-full">
          <label htmlFor="audit-user" className="block font-medium text-slate-800">
            User
          </label>
          <select
            id="audit-user"
            name="user"
            defaultValue={values.user}
            className={`${inputClass} max-w-xs truncate border-slate-300`}
          >
            <option value="">Everyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email})
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-0 max-w-full">
          <label htmlFor="audit-type" className="block font-medium text-slate-800">
            Event
          </label>
          <select
            id="audit-type"
            name="type"
            defaultValue={values.type}
            className={`${inputClass} max-w-xs border-slate-300`}
          >
            <option value="">All events</option>
            {Object.values(AuditType).map((t) => (
              <option key={t} value={t}>
                {auditTypeText[t]}
              </option>
            ))}
          </select>
        </div>
        {(["from", "to"] as const).map((name) => (
          <div key={name}>
            <label htmlFor={`audit-${name}`} className="block font-medium text-slate-800">
              {name === "from" ? "From" : "To"}
            </label>
            <input
              id={`audit-${name}`}
              name={name}
              type="date"
              defaultValue={values[name]}
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={errorId(name)}
              className={`${inputClass} ${errors[name] ? "border-red-500" : "border-slate-300"}`}
            />
          </div>
        ))}
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
        <TimeZoneField initial={tz} />
      </form>
      {parsed.ok ? null : (
        <div className="mb-4 space-y-1">
          {Object.entries(errors).map(([name, message]) => (
            <p key={name} id={`audit-${name}-error`} className="text-sm text-red-700">
              {name === "from" ? "From: " : name === "to" ? "To: " : ""}
              {message}
            </p>
          ))}
        </div>
      )}
      {page ? (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3 text-sm">
            <p className="text-slate-600">
              {page.total} event{page.total === 1 ? "" : "s"} match.
            </p>
            <a href={`/account/audit/export?${filterQuery(values, tz)}`} className={buttonClass("secondary")}>
              Download CSV
            </a>
          </div>
          <AuditTable events={page.events} caption="Audit events" showPeople />
          <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-4 text-sm">
            {page.newer ? (
              <>
                <Link href={link({})} className="text-indigo-700 hover:underline">
                  Newest
                </Link>
                <Link href={link({ cursor: page.newer, dir: "previous" })} className="text-indigo-700 hover:underline">
                  Newer
                </Link>
              </>
            ) : null}
            {page.older ? (
              <Link href={link({ cursor: page.older, dir: "next" })} className="text-indigo-700 hover:underline">
                Older
              </Link>
            ) : null}
          </nav>
        </>
      ) : (
        <Alert tone="error">Fix the dates above to see the events.</Alert>
      )}
    </Card>
  );
}
