import "server-only";
import { cookies, headers } from "next/headers";

// After accepting an invitation, the sign-in page that follows has the person's address
// filled in. The address travels in a short-lived HttpOnly cookie scoped to /login, not in
// the URL, where it would end up in logs and browser history.
const NAME = "login_email";
const MAX_AGE_SECONDS = 10 * 60;

export async function rememberLoginEmail(email: string) {
  const forwardedProto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(NAME, email, {
    httpOnly: true,
    sameSite: "lax",
    secure: forwardedProto === "https",
    path: "/login",
    maxAge: MAX_AGE_SECONDS,
  });
}

export async function readLoginEmail(): Promise<string | undefined> {
  const value = (await cookies()).get(NAME)?.value;
  return value && value.length <= 254 ? value : undefined;
}
