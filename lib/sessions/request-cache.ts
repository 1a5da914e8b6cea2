import "server-only";
import { cookies, headers } from "next/headers";
import { readSessionEndReason, type SessionWithUser } from "./sessions";

// The sessions this request has already looked up, by id. Auth.js decodes the cookie with
// one database read (auth.ts, jwt.decode); the guards then take the row from here instead
// of reading it again. Keyed by the request's own headers object, which pages, server
// actions and the render after an action all share; outside a request every call gets a
// fresh, empty map, and the guards read the database themselves.
const byRequest = new WeakMap<object, Map<string, SessionWithUser>>();

export async function requestSessions(): Promise<Map<string, SessionWithUser>> {
  const request = await headers().catch(() => null);
  if (!request) return new Map();
  let sessions = byRequest.get(request);
  if (!sessions) {
    sessions = new Map();
    byRequest.set(request, sessions);
  }
  return sessions;
}

// Auth.js's session cookie, with the __Secure- prefix over HTTPS.
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

// Why the session this browser still holds a cookie for was ended by someone else, if it
// was (lib/sessions/sessions.ts keeps the reason under the token's hash). Pages cannot clear the
// cookie Auth.js no longer accepts, so it is still there to read on the sign-in page.
export async function endedSessionReason() {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  return token ? readSessionEndReason(token) : null;
}
