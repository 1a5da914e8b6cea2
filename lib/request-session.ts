import "server-only";
import { cache } from "react";
import type { SessionWithUser } from "./session";

// The sessions this request has already looked up, by id. Auth.js decodes the cookie with
// one database read (auth.ts, jwt.decode); the guards then take the row from here instead
// of reading it again. React's cache() gives each request its own map; outside a request
// scope every call gets a fresh, empty one, and the guards read the database themselves.
export const requestSessions = cache(() => new Map<string, SessionWithUser>());
