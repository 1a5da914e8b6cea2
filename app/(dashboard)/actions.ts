"use server";

import { signOut } from "@/auth";
import { getCurrentSession, getRequestInfo } from "@/dal";
import { requireForm } from "@/lib/platform/action-arguments";
import { recordSignOut } from "@/lib/sessions/sessions";

export async function signOutAction(formData: FormData) {
  requireForm(formData);
  const session = await getCurrentSession();
  if (session) await recordSignOut(session, await getRequestInfo());
  // Auth.js's signOut event deletes the session row; the cookie goes with it.
  await signOut({ redirectTo: "/login?reason=signed-out" });
}
