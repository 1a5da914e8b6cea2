import { NavLink } from "@/components/nav-link";
import { requireAdmin } from "@/dal";

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireAdmin();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account settings</h1>
        <p className="mt-1 text-sm text-slate-600">
          Security settings and people of {user.account.name}. Visible to administrators only.
        </p>
      </div>
      <nav aria-label="Account settings" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        <NavLink href="/account" exact>
          General
        </NavLink>
        <NavLink href="/account/advanced">Advanced</NavLink>
        <NavLink href="/account/users">Users</NavLink>
        <NavLink href="/account/audit">Audit log</NavLink>
      </nav>
      {children}
    </div>
  );
}
