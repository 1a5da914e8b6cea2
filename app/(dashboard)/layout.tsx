import { AppShell } from "@/components/app-shell";
import { requireUser } from "@/lib/auth-guards";
import { signOutAction } from "./actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireUser();
  return (
    <AppShell
      accountName={user.account.name}
      userName={user.name}
      userEmail={user.email}
      isAdmin={user.role === "OWNER" || user.role === "ADMIN"}
      signOut={signOutAction}
    >
      {children}
    </AppShell>
  );
}
