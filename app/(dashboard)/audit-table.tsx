import { auditDetailText, auditTypeName } from "@/app/audit-words";
import { LocalTime } from "@/components/local-time";
import type { AuditEventRow } from "@/lib/audit/log";
import { describeUserAgent } from "@/lib/format/user-agent";

const head = "whitespace-nowrap py-2 pr-4 font-medium";

// The rows of an audit log in words: the admin's log (with actor and target) and a
// user's own security log (with who did it when it was not them).
export function AuditTable({
  events,
  caption,
  showPeople = false,
  selfId,
}: {
  events: AuditEventRow[];
  caption: string;
  showPeople?: boolean;
  selfId?: string;
}) {
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className={head}>
              Time
            </th>
            <th scope="col" className={head}>
              Event
            </th>
            {showPeople ? (
              <>
                <th scope="col" className={head}>
                  Actor
                </th>
                <th scope="col" className={head}>
                  Target
                </th>
              </>
            ) : (
              <th scope="col" className={head}>
                By
              </th>
            )}
            <th scope="col" className={head}>
              IP and device
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => {
            const details = auditDetailText(e);
            return (
              <tr key={e.id} className="align-top">
                <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
                  <LocalTime at={e.createdAt} seconds />
                </td>
                <td className="min-w-48 py-2 pr-4">
                  <p className="font-medium text-slate-900">{auditTypeName(e.type)}</p>
                  {details.length > 0 ? <p className="text-xs text-slate-500">{details.join(" · ")}</p> : null}
                </td>
                {showPeople ? (
                  <>
                    <td className="py-2 pr-4">{e.actor ? e.actor.name : "—"}</td>
                    <td className="py-2 pr-4">{e.target ? e.target.name : "—"}</td>
                  </>
                ) : (
                  <td className="py-2 pr-4">{!e.actor ? "—" : e.actor.id === selfId ? "You" : e.actor.name}</td>
                )}
                <td className="py-2 text-xs text-slate-500">
                  {e.ip || e.userAgent ? `${e.ip ?? "unknown IP"} · ${describeUserAgent(e.userAgent)}` : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {events.length === 0 ? <p className="py-6 text-center text-sm text-slate-500">No events match.</p> : null}
    </div>
  );
}
