import "server-only";
import { headers } from "next/headers";
import type { SignedIn } from "./password-step";

// A second step that passed for a browser has made its session in its own transaction
// (lib/sign-in/second-step.ts); Auth.js still sets the cookie, through the sign-in it runs
// with the same challenge token (auth.ts). The session is handed to it here, within the
// request, keyed by the request's own headers object as lib/sessions/request-cache.ts is:
// nothing outlives the request, and no other request can see or place one. Outside a
// request there is none, and Auth.js completes the sign-in itself.
const byRequest = new WeakMap<object, Map<string, SignedIn>>();

export async function handOverSignIn(challengeToken: string, session: SignedIn) {
  const request = await headers();
  const passed = byRequest.get(request) ?? new Map<string, SignedIn>();
  passed.set(challengeToken, session);
  byRequest.set(request, passed);
}

// Taken once: a second sign-in with the same token in the same request finds nothing here
// and goes to the database, which refuses the burnt challenge.
export async function takeSignIn(challengeToken: string): Promise<SignedIn | null> {
  const request = await headers().catch(() => null);
  const passed = request && byRequest.get(request);
  const session = passed?.get(challengeToken) ?? null;
  passed?.delete(challengeToken);
  return session;
}
