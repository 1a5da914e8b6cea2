import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { twoFactorRequirement } from "@/lib/account/policy";
import { isAdminRole } from "@/lib/people/roles";
import { requestInfoFrom } from "@/lib/platform/request-info";
import { requestSessions } from "@/lib/sessions/request-cache";
import { findSession, isSudo } from "@/lib/sessions/sessions";

// The data-access guards every page, server action and route handler starts with.

// One session read per request: Auth.js's decode has just validated the row (expiry,
// account limit, disabled user) and left it in requestSessions().
export const getCurrentSession = cache(async () => {
  const session = await auth();
  if (!session?.sessionId) return null;
  const row = (await requestSessions()).get(session.sessionId) ?? (await findSession({ id: session.sessionId }));
  return row && !row.user.disabledAt ? row : null;
});

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof getCurrentSession>>>;

// Once an account's 2FA deadline has passed, a user without 2FA can reach only the
// enrollment flow (SPEC §7): every other page and server action redirects there. Only
// the enrollment pages and their actions pass `duringEnrollment`.
export async function requireUser(options: { duringEnrollment?: boolean } = {}): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) redirect("/login");
  if (!options.duringEnrollment) {
    const requirement = twoFactorRequirement({ user: session.user, account: session.user.account });
    if (requirement.state === "overdue")
      redirect(`/profile/two-factor/setup?required=1${requirement.passkey ? "&method=passkey" : ""}`);
  }
  return session;
}

export async function requireAdmin(): Promise<CurrentSession> {
  const session = await requireUser();
  if (!isAdminRole(session.user.role)) redirect("/profile?denied=account");
  return session;
}

// Sudo mode (SPEC §9): recovery codes, a new second factor and new access tokens need
// the password given in this session in the last 15 minutes. A page, and an action that
// can only go on from the password step, sends the user to `redirectTo`, where the
// password is asked; any other action gets null and tells its form to ask again.
export async function requireSudo(options: { redirectTo: string; duringEnrollment?: boolean }): Promise<CurrentSession>;
export async function requireSudo(options?: { duringEnrollment?: boolean }): Promise<CurrentSession | null>;
export async function requireSudo(options: { redirectTo?: string; duringEnrollment?: boolean } = {}) {
  const session = await requireUser({ duringEnrollment: options.duringEnrollment });
  if (isSudo(session)) return session;
  if (options.redirectTo) redirect(options.redirectTo);
  return null;
}

export async function getRequestInfo() {
  return requestInfoFrom(await headers());
}
