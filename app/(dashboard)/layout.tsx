import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { LocalTime } from "@/components/local-time";
import { requireUser } from "@/dal";
import { twoFactorRequirement } from "@/lib/account/policy";
import { isAdminRole } from "@/lib/people/roles";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // The shell itself renders during enrollment; each page applies its own guard.
  const { user } = await requireUser({ duringEnrollment: true });
  const requirement = twoFactorRequirement({ user, account: user.account });
  const what = requirement.passkey ? "a passkey or security key" : "two-factor authentication";
  const setup = requirement.passkey ? "/profile/two-factor/setup?method=passkey" : "/profile/two-factor/setup";
  return (
    <AppShell
      accountName={user.account.name}
      userName={user.name}
      userEmail={user.email}
      isAdmin={isAdminRole(user.role)}
      banner={
        requirement.state === "grace" || requirement.state === "overdue" ? (
          <div role="status" className="border-b border-amber-200 bg-amber-50">
            <p className="mx-auto max-w-5xl px-4 py-2.5 text-sm text-amber-900 sm:px-6">
              {requirement.state === "grace" ? (
                <>
                  {user.account.name} requires {what}. Set it up by{" "}
                  <strong>
                    <LocalTime at={requirement.deadline!} relative />
                  </strong>
                  .{" "}
                </>
              ) : (
                <>
                  {user.account.name} requires {what}. Set it up to continue using StrongSign.{" "}
                </>
              )}
              <Link href={setup} className="font-medium underline">
                Set up now
              </Link>
            </p>
          </div>
        ) : null
      }
    >
      {children}
    </AppShell>
  );
}
