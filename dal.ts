import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { twoFactorRequirement } from "@/lib/account/policy";
import { isAdminRole } from "@/lib/people/roles";
import { requestInfoFrom } from "@/lib/platform/request-info";
import { requestSessions } from "@/lib/sessions/request-cache";
import { findSession, isSudo, type SessionWithUser } from "@/lib/sessions/sessions";

// The data-access layer: the one place pages, server actions and route handlers learn who
// is asking. It guarantees that
// - the session is looked up in the database on every request, so a revoked session or a
//   disabled user is signed out at once; the guards of one request share that lookup;
// - a guard returns only when its requirement holds, and otherwise redirects (to sign-in,
//   to the overdue 2FA enrollment, to My Profile for a non-admin, to the password step);
// - what it returns carries neither the session token's hash nor the password's hash, so
//   a page cannot hand them to the browser by passing the user on.
// The API under /api/v1 takes bearer tokens instead and has its own guard, withPrincipal
// (lib/api/respond.ts).

function withoutSecrets({
  tokenHash: _token,
  user: { passwordHash: _password, ...user },
  ...session
}: SessionWithUser) {
  return { ...session, user };
}

// One session read per request: Auth.js's decode has just validated the row (expiry,
// account limit, disabled user) and left it in requestSessions().
export const getCurrentSession = cache(async () => {
  const session = await auth();
  if (!session?.sessionId) return null;
  const row = (await requestSessions()).get(session.sessionId) ?? (await findSession({ id: session.sessionId }));
  return row && !row.user.disabledAt ? withoutSecrets(row) : null;
});

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof getCurrentSession>>>;

type Requirement = { admin?: boolean; sudo?: boolean; duringEnrollment?: boolean };
type Access = { allowed: true } | { allowed: false; redirectTo: string } | { allowed: false; password: true };

// What the guards decide, apart from reading the request and redirecting: let the session
// through, send it elsewhere, or (sudo) ask for the password again. Once an account's 2FA
// deadline has passed, a user without 2FA can reach only the enrollment flow
// (docs/security-model.md, "Account-wide requirements"): every other page and server action
// redirects there. Only the enrollment pages and their actions pass `duringEnrollment`.
export function decideAccess(session: CurrentSession | null, need: Requirement, now = new Date()): Access {
  if (!session) return { allowed: false, redirectTo: "/login" };
  if (!need.duringEnrollment) {
    const requirement = twoFactorRequirement({ user: session.user, account: session.user.account, now });
    if (requirement.state === "overdue")
      return {
        allowed: false,
        redirectTo: `/profile/two-factor/setup?required=1${requirement.passkey ? "&method=passkey" : ""}`,
      };
  }
  if (need.admin && !isAdminRole(session.user.role)) return { allowed: false, redirectTo: "/profile?denied=account" };
  if (need.sudo && !isSudo(session, now)) return { allowed: false, password: true };
  return { allowed: true };
}

// Redirects wherever decideAccess sends the request, and to `passwordAt` when only the
// password is missing; returns null only for a `sudo` need without `passwordAt`.
async function guard(need: Requirement, passwordAt?: string): Promise<CurrentSession | null> {
  const session = await getCurrentSession();
  const access = decideAccess(session, need);
  if ("redirectTo" in access) redirect(access.redirectTo);
  if (!access.allowed) {
    if (passwordAt) redirect(passwordAt);
    return null;
  }
  return session;
}

export async function requireUser(options: { duringEnrollment?: boolean } = {}): Promise<CurrentSession> {
  return (await guard(options))!;
}

export async function requireAdmin(): Promise<CurrentSession> {
  return (await guard({ admin: true }))!;
}

// Sudo mode (docs/security-model.md, "Sessions and sudo mode"): recovery codes, a new
// second factor and new access tokens need the password given in this session in the last
// 15 minutes. A page, and an action that can only go on from the password step, sends the
// user to `redirectTo`, where the password is asked; any other action gets null and tells
// its form to ask again. `admin` also requires an owner or administrator (audit streaming).
type SudoOptions = { duringEnrollment?: boolean; admin?: boolean };
export async function requireSudo(options: SudoOptions & { redirectTo: string }): Promise<CurrentSession>;
export async function requireSudo(options?: SudoOptions): Promise<CurrentSession | null>;
export async function requireSudo(options: SudoOptions & { redirectTo?: string } = {}) {
  return guard({ sudo: true, duringEnrollment: options.duringEnrollment, admin: options.admin }, options.redirectTo);
}

// Who is asking from where, for audit events and rate limits.
export async function getRequestInfo() {
  return requestInfoFrom(await headers());
}
