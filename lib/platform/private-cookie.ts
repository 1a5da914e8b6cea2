import "server-only";
import { cookies, headers } from "next/headers";

// The one way the app sets a cookie of its own: HttpOnly, host-only, SameSite=Lax, and
// Secure when the request came over HTTPS (as a trusted proxy says).
export async function setPrivateCookie(name: string, value: string, options: { path: string; maxAgeMs: number }) {
  const forwardedProto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(name, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: forwardedProto === "https",
    path: options.path,
    maxAge: options.maxAgeMs / 1000,
  });
}
