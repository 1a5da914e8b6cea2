import "server-only";
import { headers } from "next/headers";
import type { SessionWithUser } from "./session";

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
