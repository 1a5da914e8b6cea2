import "server-only";
import { cookies } from "next/headers";
import { DEVICE_COOKIE_MAX_AGE_MS } from "@/lib/config";
import { setPrivateCookie } from "@/lib/platform/private-cookie";
import { deviceCookieName, deviceCookiesToDrop, isDeviceCookieName } from "./known-device";
import type { SignInClient } from "./password-step";

// The browser half of lib/sign-in/known-device.ts: HttpOnly, host-only, SameSite=Lax, Secure over
// HTTPS. It proves only "this browser has signed in to this account before"; it never
// signs anyone in.
export async function readDeviceTokens(): Promise<string[]> {
  return (await cookies())
    .getAll()
    .filter((cookie) => isDeviceCookieName(cookie.name))
    .map((cookie) => cookie.value);
}

// This browser as a sign-in client (lib/sign-in/password-step.ts), with the device cookies it holds.
export async function thisBrowser(): Promise<SignInClient> {
  return { kind: "browser", deviceTokens: await readDeviceTokens() };
}

export async function rememberDevice(userId: string, token: string) {
  const jar = await cookies();
  const name = deviceCookieName(userId);
  for (const dropped of deviceCookiesToDrop(jar.getAll(), name)) jar.delete(dropped);
  await setPrivateCookie(name, token, { path: "/", maxAgeMs: DEVICE_COOKIE_MAX_AGE_MS });
}
