import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { Badge, Card } from "@/components/ui";
import { requireAdmin } from "@/lib/auth-guards";
import { listUsers } from "@/lib/users";
import { twoFactorStatusText } from "../../../messages";
import { InviteForm } from "./invite-form";

export const metadata: Metadata = { title: "Users · Account settings" };

const PAGE_SIZE = 100;

export default async function AccountUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ filter?: string; after?: string }>;
}) {
  const { user } = await requireAdmin();
  const query = await searchParams;
  const filter = query.filter === "not_compliant" ? "not_compliant" : "all";
  const after = typeof query.after === "string" && /^[\w-]{1,64}$/.test(query.after) ? query.after : undefined;
  const result = await listUsers({ actor: user, filter, after, limit: PAGE_SIZE });
  const users = result.ok ? result.users : [];
  const next = result.ok ? result.next : null;
  const base = filter === "not_compliant" ? "/account/users?filter=not_compliant" : "/account/users";
  return (
    <div className="space-y-6">
      <Card
        id="users"
        title="Users"
        description={
          filter === "not_compliant"
            ? "People not compliant with the two-factor requirement, by name."
            : "Everyone in this account, by name."
        }
      >
        <nav aria-label="Filter users" className="mb-4 flex gap-2 text-sm">
          <Link
            href="/account/users"
            aria-current={filter === "all" ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${filter === "all" ? "bg-indigo-100 text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
          >
            All
          </Link>
          <Link
            href="/account/users?filter=not_compliant"
            aria-current={filter === "not_compliant" ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${filter === "not_compliant" ? "bg-indigo-100 text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
          >
            Not compliant
          </Link>
        </nav>
        <div className="relative overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Name
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Role
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Two-factor
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Last sign-in
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id}>
                  <td className="py-3 pr-4">
                    <p className="font-medium text-slate-900">{u.name}</p>
                    <p className="text-xs text-slate-500">{u.email}</p>
                    {u.invitation ? (
                      <p className="mt-1 whitespace-nowrap">
                        <Badge tone={u.invitation.status === "pending" ? "indigo" : "amber"}>
                          {u.invitation.status === "pending" ? (
                            <>
                              invited · until <LocalTime at={u.invitation.expiresAt} />
                            </>
                          ) : (
                            `invitation ${u.invitation.status}`
                          )}
                        </Badge>
                      </p>
                    ) : null}
                  </td>
                  <td className="py-3 pr-4">
                    <Badge tone={u.role === "MEMBER" ? "slate" : "indigo"}>{u.role.toLowerCase()}</Badge>
                  </td>
                  <td className="py-3 pr-4">
                    <span className="flex flex-wrap gap-1">
                      <Badge
                        tone={
                          u.twoFactorStatus === "none"
                            ? u.compliant
                              ? "slate"
                              : "amber"
                            : u.twoFactorStatus === "exempt"
                              ? "indigo"
                              : "green"
                        }
                      >
                        {twoFactorStatusText[u.twoFactorStatus]}
                      </Badge>
                      {!u.compliant ? <Badge tone="amber">not compliant</Badge> : null}
                      {u.locked ? <Badge tone="red">locked</Badge> : null}
                      {u.disabled ? <Badge tone="red">disabled</Badge> : null}
                    </span>
                  </td>
                  <td className="whitespace-nowrap py-3 pr-4 text-slate-600">
                    {u.lastSignInAt ? <LocalTime at={u.lastSignInAt} /> : "Never"}
                  </td>
                  <td className="py-3 text-right">
                    <Link
                      href={`/account/users/${u.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                      aria-label={`Edit ${u.name}`}
                    >
                      Edit
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {users.length === 0 ? <p className="py-6 text-center text-sm text-slate-500">No one here.</p> : null}
        </div>
        {after || next ? (
          <nav aria-label="Pages" className="mt-4 flex justify-end gap-3 text-sm">
            {after ? (
              <Link href={base} className="text-indigo-700 hover:underline">
                First page
              </Link>
            ) : null}
            {next ? (
              <Link
                href={`${base}${base.includes("?") ? "&" : "?"}after=${encodeURIComponent(next)}`}
                className="text-indigo-700 hover:underline"
              >
                Next page
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
      <Card
        id="invite"
        title="Add a user"
        description="They get an email with a link to choose a password. The link works once, for 7 days."
      >
        <InviteForm />
      </Card>
    </div>
  );
}
