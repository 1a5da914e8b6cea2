import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { AuditType, listAuditEvents } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth-guards";
import { describeUserAgent, formatDateTime } from "@/lib/user-agent";
import { listUsers } from "@/lib/users";

export const metadata: Metadata = { title: "Audit log · Account settings" };

const PAGE_SIZE = 25;

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{ user?: string; type?: string; before?: string }>;
}) {
  const { user: actor } = await requireAdmin();
  const query = await searchParams;
  const before = typeof query.before === "string" && /^[\w-]{1,64}$/.test(query.before) ? query.before : undefined;
  const types = Object.values(AuditType) as string[];
  const type = types.includes(query.type ?? "") ? query.type : undefined;
  const [events, people] = await Promise.all([
    listAuditEvents({ actor, userId: query.user || undefined, type, before, pageSize: PAGE_SIZE }),
    listUsers({ actor, filter: "all" }),
  ]);
  const rows = events.ok ? events.events : [];
  const next = events.ok ? events.next : null;
  const link = (cursor?: string) =>
    `/account/audit?${new URLSearchParams({ ...(query.user ? { user: query.user } : {}), ...(type ? { type } : {}), ...(cursor ? { before: cursor } : {}) })}`;

  return (
    <Card id="audit" title="Audit log" description="Security events in this account, newest first.">
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <div className="min-w-0 max-w-full">
          <label htmlFor="audit-user" className="block font-medium text-slate-800">
            User
          </label>
          <select
            id="audit-user"
            name="user"
            defaultValue={query.user ?? ""}
            className="mt-1 w-full max-w-xs truncate rounded-md border border-slate-300 bg-white px-3 py-2"
          >
            <option value="">Everyone</option>
            {(people.ok ? people.users : []).map((p) => (
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
            defaultValue={type ?? ""}
            className="mt-1 w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2"
          >
            <option value="">All events</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-50"
        >
          Filter
        </button>
      </form>
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Audit events</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                Time
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Event
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Actor
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Target
              </th>
              <th scope="col" className="py-2 font-medium">
                From
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((e) => (
              <tr key={e.id}>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
                  {formatDateTime(e.createdAt, { seconds: true })}
                </td>
                <td className="py-2 pr-4 font-mono text-xs text-slate-900">{e.type}</td>
                <td className="py-2 pr-4">{e.actor ? e.actor.name : "—"}</td>
                <td className="py-2 pr-4">{e.target ? e.target.name : "—"}</td>
                <td className="py-2 text-xs text-slate-500">
                  {e.ip ?? "—"} · {describeUserAgent(e.userAgent)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="py-6 text-center text-sm text-slate-500">No events match.</p> : null}
      </div>
      <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-3 text-sm">
        {before ? (
          <Link href={link()} className="text-indigo-700 hover:underline">
            Newest
          </Link>
        ) : null}
        {next ? (
          <Link href={link(next)} className="text-indigo-700 hover:underline">
            Older
          </Link>
        ) : null}
      </nav>
    </Card>
  );
}
