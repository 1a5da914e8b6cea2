import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { isAdminRole } from "./admin";
import { db } from "./db";
import { mustEnroll } from "./enforcement";
import { requestInfoFrom } from "./request-info";
import { requestSessions } from "./request-session";

// The data-access guards every page, server action and route handler starts with.

// One session read per request: Auth.js's decode has just validated the row (expiry,
// account limit, disabled user) and left it in requestSessions().
export const getCurrentSession = cache(async () => {
  const session = await auth();
  if (!session?.sessionId) return null;
  const row =
    requestSessions().get(session.sessionId) ??
    (await db.session.findUnique({
      where: { id: session.sessionId },
      include: { user: { include: { account: true } } },
    }));
  return row && !row.user.disabledAt ? row : null;
});

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof getCurrentSession>>>;

// Once an account's 2FA deadline has passed, a user without 2FA can reach only the
// enrollment flow (SPEC §7): every other page and server action redirects there. Only
// the enrollment pages and their actions pass `duringEnrollment`.
export async function requireUser(options: { duringEnrollment?: boolean } = {}): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) redirect("/login");
  if (!options.duringEnrollment && mustEnroll({ user: session.user, account: session.user.account }))
    redirect("/profile/two-factor/setup?required=1");
  return session;
}

export async function requireAdmin(): Promise<CurrentSession> {
  const session = await requireUser();
  if (!isAdminRole(session.user.role)) redirect("/profile?denied=account");
  return session;
}

export async function getRequestInfo() {
  return requestInfoFrom(await headers());
}
