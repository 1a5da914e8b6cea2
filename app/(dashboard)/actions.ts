"use server";

import { signOut } from "@/auth";
import { requireForm } from "@/lib/platform/action-arguments";

// Auth.js's signOut event records the sign-out and deletes the session row (auth.ts); the
// cookie goes with it.
export async function signOutAction(formData: FormData) {
  requireForm(formData);
  await signOut({ redirectTo: "/login?reason=signed-out" });
}
