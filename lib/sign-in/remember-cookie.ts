import "server-only";
import { cookies } from "next/headers";
import { setPrivateCookie } from "@/lib/platform/private-cookie";
import { rememberCookieName } from "./remembered-browser";

// The browser half of lib/sign-in/remembered-browser.ts: HttpOnly, host-only,
// SameSite=Lax, Secure over HTTPS, one per account, kept the account's days. It proves
// nothing alone: the row it names must be bound to this browser's device cookie.
export async function setRememberCookie(userId: string, remember: { token: string; maxAgeMs: number }) {
  await setPrivateCookie(rememberCookieName(userId), remember.token, { path: "/", maxAgeMs: remember.maxAgeMs });
}

export async function readRememberToken(userId: string) {
  return (await cookies()).get(rememberCookieName(userId))?.value ?? "";
}
