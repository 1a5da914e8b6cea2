import { AuditType, audit } from "./audit";
import { DAY_MS, DEFAULT_SESSION_DAYS, SESSION_TOKEN_BYTES, SESSION_TOUCH_INTERVAL_MS, SUDO_WINDOW_MS } from "./config";
import { hashToken, randomToken } from "./crypto";
import { db, type Tx } from "./db";
import { methodFacts } from "./methods";
import type { RequestInfo } from "./request-info";

export type SessionWithUser = NonNullable<Awaited<ReturnType<typeof findSession>>>;

// A session with its user and account, by its token's hash or by its id.
export function findSession(where: { tokenHash: string } | { id: string }) {
  return db.session.findUnique({ where, include: { user: { include: { account: true, ...methodFacts } } } });
}

// A new session with a fresh random token; only its hash is stored. The token goes to
// the client once, in the session cookie (or the API response). `sudoAt`: when the
// password was last given, if it was.
export async function createSession(
  tx: Tx,
  options: { userId: string; request: RequestInfo; sudoAt?: Date | null; now?: Date },
) {
  const now = options.now ?? new Date();
  const user = await tx.user.findUniqueOrThrow({ where: { id: options.userId }, include: { account: true } });
  const days = user.account.sessionDurationDays || DEFAULT_SESSION_DAYS;
  const token = randomToken(SESSION_TOKEN_BYTES);
  const session = await tx.session.create({
    data: {
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + days * DAY_MS),
      sudoAt: options.sudoAt ?? null,
      ip: options.request.ip,
      userAgent: options.request.userAgent,
    },
  });
  return { token, session };
}

// The session behind a token, or null when it is unknown, expired (by its own expiry or
// by the account's current session duration), or its user is disabled.
export async function validateSessionToken(token: string, now = new Date()): Promise<SessionWithUser | null> {
  if (!token || token.length > 128) return null;
  const found = await findSession({ tokenHash: hashToken(token) });
  if (!found) return null;
  const accountLimit = found.createdAt.getTime() + found.user.account.sessionDurationDays * DAY_MS;
  if (found.expiresAt <= now || accountLimit <= now.getTime() || found.user.disabledAt) {
    await db.session.deleteMany({ where: { id: found.id } });
    return null;
  }
  if (now.getTime() - found.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    await db.session.updateMany({ where: { id: found.id }, data: { lastSeenAt: now } });
  }
  return found;
}

export function listSessions(userId: string) {
  return db.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true, expiresAt: true },
  });
}

export async function revokeSessionByToken(token: string) {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

// Scoped by user, so a session id from someone else's list revokes nothing.
export async function revokeSession(tx: Tx, options: { userId: string; sessionId: string }) {
  const { count } = await tx.session.deleteMany({ where: { id: options.sessionId, userId: options.userId } });
  return count > 0;
}

export async function revokeOtherSessions(tx: Tx, options: { userId: string; keepSessionId?: string }) {
  const { count } = await tx.session.deleteMany({
    where: { userId: options.userId, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) },
  });
  return count;
}

// Auth.js's signOut event deletes the session row; this records who left and from where.
export async function recordSignOut(session: { userId: string; user: { accountId: string } }, request: RequestInfo) {
  await audit(db, {
    accountId: session.user.accountId,
    type: AuditType.signedOut,
    actorId: session.userId,
    targetId: session.userId,
    request,
  });
}

export function isSudo(session: { sudoAt: Date | null }, now = new Date()) {
  return !!session.sudoAt && now.getTime() - session.sudoAt.getTime() < SUDO_WINDOW_MS;
}

export async function markSudo(sessionId: string, now = new Date()) {
  await db.session.updateMany({ where: { id: sessionId }, data: { sudoAt: now } });
}
