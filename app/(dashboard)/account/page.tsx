import type { Metadata } from "next";
import { Badge, Card } from "@/components/ui";
import { requireAdmin } from "@/lib/auth-guards";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/user-agent";

export const metadata: Metadata = { title: "Account settings" };

export default async function AccountPage() {
  const { user } = await requireAdmin();
  const users = await db.user.findMany({
    where: { accountId: user.accountId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, role: true, lastSignInAt: true, disabledAt: true },
  });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account settings</h1>
        <p className="mt-1 text-sm text-slate-600">Settings for {user.account.name}, visible to administrators only.</p>
      </div>
      <Card id="general" title="General">
        <dl className="grid gap-4 text-sm sm:grid-cols-3">
          <div><dt className="text-slate-500">Organisation</dt><dd className="mt-1 font-medium">{user.account.name}</dd></div>
          <div><dt className="text-slate-500">Created</dt><dd className="mt-1 font-medium">{formatDateTime(user.account.createdAt)}</dd></div>
          <div><dt className="text-slate-500">Login session duration</dt><dd className="mt-1 font-medium">{user.account.sessionDurationDays} days</dd></div>
        </dl>
      </Card>
      <Card id="users" title="Users" description={`${users.length} ${users.length === 1 ? "person" : "people"} in this account.`}>
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr><th scope="col" className="py-2 pr-4 font-medium">Name</th><th scope="col" className="py-2 pr-4 font-medium">Role</th><th scope="col" className="py-2 font-medium">Last sign-in</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id}>
                  <td className="py-3 pr-4"><p className="font-medium text-slate-900">{u.name}</p><p className="text-xs text-slate-500">{u.email}</p></td>
                  <td className="py-3 pr-4"><Badge tone={u.role === "MEMBER" ? "slate" : "indigo"}>{u.role.toLowerCase()}</Badge>{u.disabledAt ? <> <Badge tone="red">disabled</Badge></> : null}</td>
                  <td className="py-3 text-slate-600">{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
