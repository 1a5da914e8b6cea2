import { AuditType, audit } from "@/lib/audit/record";
import {
  DAY_MS,
  DEFAULT_SESSION_DAYS,
  ENDED_SESSION_NOTICE_MS,
  SESSION_TOKEN_BYTES,
  SESSION_TOUCH_INTERVAL_MS,
  SUDO_WINDOW_MS,
} from "@/lib/config";
import type { MethodFacts } from "@/lib/factors/kinds";
import type { Account, Prisma, Session, User } from "@/lib/generated/sqlite/client";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import {
  accountColumns,
  methodFactColumns,
  methodFactsOf,
  part,
  sessionColumns,
  sql,
  userColumns,
} from "@/lib/platform/joined-rows";
import type { RequestInfo } from "@/lib/platform/request-info";

export type SessionWithUser = Session & {
  user: User & MethodFacts & { account: Account };
};

// A session with its user, the user's account and which methods they have, by its
// token's hash or by its id: read on every signed-in request, so in one statement
// (lib/platform/joined-rows.ts).
export async function findSession(where: { tokenHash: string } | { id: string }): Promise<SessionWithUser | null> {
  const condition = "tokenHash" in where ? sql`s."tokenHash" = ${where.tokenHash}` : sql`s."id" = ${where.id}`;
  const [row] = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT ${sessionColumns}, ${userColumns}, ${accountColumns}, ${methodFactColumns}
    FROM "Session" s JOIN "User" u ON u."id" = s."userId" JOIN "Account" a ON a."id" = u."accountId"
    WHERE ${condition}`;
  if (!row) return null;
  return {
    ...part<Session>(row, "s"),
    user: { ...part<User>(row, "u"), account: part<Account>(row, "a"), ...methodFactsOf(row) },
  };
}

// A new session with a fresh random token; only its hash is stored. The token goes to
// the client once, in the session cookie (or the API response). `sudoAt`: when the
// password was last given, if it was. `account`: the user's, when the caller has read it.
// `passkeyUpgradeUntil`: see lib/passkeys/upgrade.ts.
export async function createSession(
  tx: Tx,
  options: {
    userId: string;
    account?: { sessionDurationDays: number };
    request: RequestInfo;
    sudoAt?: Date | null;
    passkeyUpgradeUntil?: Date | null;
    now?: Date;
  },
) {
  const now = options.now ?? new Date();
  const account =
    options.account ??
    (await tx.user.findUniqueOrThrow({ where: { id: options.userId }, select: { account: true } })).account;
  const days = account.sessionDurationDays || DEFAULT_SESSION_DAYS;
  const token = randomToken(SESSION_TOKEN_BYTES);
  const session = await tx.session.create({
    data: {
      tokenHash: hashToken(token),
      userId: options.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + days * DAY_MS),
      sudoAt: options.sudoAt ?? null,
      passkeyUpgradeUntil: options.passkeyUpgradeUntil ?? null,
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

// The browser's own sign-out: it knows why, so nothing is kept.
export async function revokeSessionByToken(token: string) {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

// Why someone other than the browser ended its session, as the sign-in page tells that
// browser (app/messages.ts, sessionEndedText): never who.
const SESSION_END_REASONS = [
  "admin",
  "signed_out_elsewhere",
  "password_changed",
  "password_reset",
  "two_factor_changed",
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

const NOTE_BATCH = 1_000;

// Ends the sessions `where` selects and keeps, under each token's hash, why: the browser
// still holding the cookie reads it on the sign-in page (readSessionEndReason). A note
// lasts as long as its session would have, at most ENDED_SESSION_NOTICE_MS.
export async function endSessions(
  tx: Tx,
  options: { where: Prisma.SessionWhereInput; reason: SessionEndReason; now?: Date },
) {
  const now = options.now ?? new Date();
  const sessions = await tx.session.findMany({ where: options.where, select: { tokenHash: true, expiresAt: true } });
  const noticeEnds = now.getTime() + ENDED_SESSION_NOTICE_MS;
  for (let i = 0; i < sessions.length; i += NOTE_BATCH)
    await tx.endedSession.createMany({
      data: sessions.slice(i, i + NOTE_BATCH).map((session) => ({
        tokenHash: session.tokenHash,
        reason: options.reason,
        endedAt: now,
        expiresAt: new Date(Math.min(session.expiresAt.getTime(), noticeEnds)),
      })),
    });
  const { count } = await tx.session.deleteMany({ where: options.where });
  return count;
}

// Why the session behind this token was ended by someone else, or null: never ended that
// way, signed out by its own browser, expired, or unknown.
export async function readSessionEndReason(token: string, now = new Date()): Promise<SessionEndReason | null> {
  if (!token || token.length > 128) return null;
  const note = await db.endedSession.findFirst({
    where: { tokenHash: hashToken(token), expiresAt: { gt: now } },
    orderBy: { endedAt: "desc" },
    select: { reason: true },
  });
  return SESSION_END_REASONS.find((reason) => reason === note?.reason) ?? null;
}

// Signing out one session from the list of them; scoped by user, so a session id from
// someone else's list revokes nothing.
export async function revokeSession(tx: Tx, options: { userId: string; sessionId: string }) {
  const where = { id: options.sessionId, userId: options.userId };
  return (await endSessions(tx, { where, reason: "signed_out_elsewhere" })) > 0;
}

export async function revokeOtherSessions(
  tx: Tx,
  options: { userId: string; keepSessionId?: string; reason: SessionEndReason },
) {
  return endSessions(tx, {
    where: { userId: options.userId, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) },
    reason: options.reason,
  });
}

// Who left and from where, as Auth.js's signOut event deletes the session row (auth.ts).
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
