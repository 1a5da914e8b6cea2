import "server-only";
import { cookies, headers } from "next/headers";
import { LOGIN_CHALLENGE_COOKIE, LOGIN_CHALLENGE_TTL_MS } from "./config";

// The login challenge's browser half: HttpOnly, host-only, SameSite=Lax, Secure over HTTPS.
export async function setChallengeCookie(token: string) {
  const forwardedProto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(LOGIN_CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: forwardedProto === "https",
    path: "/",
    maxAge: LOGIN_CHALLENGE_TTL_MS / 1000,
  });
}

export async function readChallengeCookie() {
  return (await cookies()).get(LOGIN_CHALLENGE_COOKIE)?.value ?? "";
}

export async function clearChallengeCookie() {
  (await cookies()).delete(LOGIN_CHALLENGE_COOKIE);
}
