import "server-only";
import { cookies, headers } from "next/headers";
import { DEVICE_COOKIE_MAX_AGE_MS } from "./config";
import { deviceCookieName, isDeviceCookieName, newDeviceToken } from "./known-device";

// The browser half of lib/known-device.ts: HttpOnly, host-only, SameSite=Lax, Secure over
// HTTPS. It proves only "this browser has signed in to this account before"; it never
// signs anyone in.
export async function readDeviceTokens(): Promise<string[]> {
  return (await cookies())
    .getAll()
    .filter((cookie) => isDeviceCookieName(cookie.name))
    .map((cookie) => cookie.value);
}

export async function rememberDevice(userId: string, token = newDeviceToken(userId)) {
  const forwardedProto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(deviceCookieName(userId), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: forwardedProto === "https",
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_MS / 1000,
  });
}
