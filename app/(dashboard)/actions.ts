"use server";

import { signOut } from "@/auth";
import { requireForm } from "@/lib/action-arguments";
import { getCurrentSession, getRequestInfo } from "@/lib/auth-guards";
import { recordSignOut } from "@/lib/session";

export async function signOutAction(formData: FormData) {
  requireForm(formData);
  const session = await getCurrentSession();
  if (session) await recordSignOut(session, await getRequestInfo());
  // Auth.js's signOut event deletes the session row; the cookie goes with it.
  await signOut({ redirectTo: "/login?reason=signed-out" });
}
