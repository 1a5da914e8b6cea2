"use server";

import { signOut } from "@/auth";
import { AuditType, audit } from "@/lib/audit";
import { getCurrentSession, getRequestInfo } from "@/lib/auth-guards";
import { db } from "@/lib/db";

export async function signOutAction() {
  const session = await getCurrentSession();
  if (session) {
    await audit(db, {
      accountId: session.user.accountId,
      type: AuditType.signedOut,
      actorId: session.userId,
      targetId: session.userId,
      request: await getRequestInfo(),
    });
  }
  // Auth.js's signOut event deletes the session row; the cookie goes with it.
  await signOut({ redirectTo: "/login?reason=signed-out" });
}
