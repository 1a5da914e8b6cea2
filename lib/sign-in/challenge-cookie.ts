import "server-only";
import { cookies } from "next/headers";
import { LOGIN_CHALLENGE_COOKIE, LOGIN_CHALLENGE_TTL_MS } from "@/lib/config";
import { setPrivateCookie } from "@/lib/platform/private-cookie";

// The login challenge's browser half: HttpOnly, host-only, SameSite=Lax, Secure over HTTPS.
export async function setChallengeCookie(token: string) {
  await setPrivateCookie(LOGIN_CHALLENGE_COOKIE, token, { path: "/", maxAgeMs: LOGIN_CHALLENGE_TTL_MS });
}

export async function readChallengeCookie() {
  return (await cookies()).get(LOGIN_CHALLENGE_COOKIE)?.value ?? "";
}

export async function clearChallengeCookie() {
  (await cookies()).delete(LOGIN_CHALLENGE_COOKIE);
}
