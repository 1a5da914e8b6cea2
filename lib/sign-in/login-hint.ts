import "server-only";
import { cookies } from "next/headers";
import { setPrivateCookie } from "@/lib/platform/private-cookie";

// After accepting an invitation, the sign-in page that follows has the person's address
// filled in. The address travels in a short-lived HttpOnly cookie scoped to /login, not in
// the URL, where it would end up in logs and browser history.
const NAME = "login_email";
const MAX_AGE_MS = 10 * 60_000;

export async function rememberLoginEmail(email: string) {
  await setPrivateCookie(NAME, email, { path: "/login", maxAgeMs: MAX_AGE_MS });
}

export async function readLoginEmail(): Promise<string | undefined> {
  const value = (await cookies()).get(NAME)?.value;
  return value && value.length <= 254 ? value : undefined;
}
