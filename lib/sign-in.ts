import { AuditType, audit } from "./audit";
import { db } from "./db";
import { ErrorCode } from "./errors";
import { consumeCompletedChallenge, createLoginChallenge, type PendingFactor } from "./login-challenge";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { clearFailures, passwordLimitKeys, recordFailure, retryAfterMs } from "./rate-limit";
import type { RequestInfo } from "./request-info";
import { createSession } from "./session";

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export type PasswordStepResult =
  | { ok: true; userId: string; challengeToken: string; challengeId: string; pendingFactor: PendingFactor }
  | { ok: false; error: typeof ErrorCode.invalidCredentials | typeof ErrorCode.accountDisabled }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number };

// The password step (SPEC §2). Success never creates a session: it creates a login
// challenge, which the second step (or, without 2FA, the sign-in itself) consumes.
export async function passwordStep(input: { email: string; password: string; request: RequestInfo }): Promise<PasswordStepResult> {
  const email = normalizeEmail(input.email);
  const keys = passwordLimitKeys(email, input.request.ip);
  const wait = await retryAfterMs(keys);
  if (wait > 0) return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds: Math.ceil(wait / 1000) };

  const user = await db.user.findUnique({ where: { email } });
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await Promise.all(keys.map((key) => recordFailure(key)));
    if (user) await audit(db, { accountId: user.accountId, type: AuditType.signInFailed, targetId: user.id, request: input.request, data: { reason: "password" } });
    return { ok: false, error: ErrorCode.invalidCredentials };
  }
  await clearFailures(keys[0].key);
  if (user.disabledAt) return { ok: false, error: ErrorCode.accountDisabled };

  const pendingFactor = (user.twoFactorMethod as PendingFactor) ?? null;
  const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor, request: input.request });
  return { ok: true, userId: user.id, challengeToken: token, challengeId: challenge.id, pendingFactor };
}

// Turns a completed challenge into a session: the challenge is burned first, in the same
// transaction, so a challenge yields at most one session.
export async function completeSignIn(input: { challengeToken: string; request: RequestInfo }) {
  return db.$transaction(async (tx) => {
    const userId = await consumeCompletedChallenge(tx, input.challengeToken);
    if (!userId) return null;
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.disabledAt) return null;
    const now = new Date();
    const { token, session } = await createSession(tx, { userId, request: input.request, sudo: true, now });
    await tx.user.update({ where: { id: userId }, data: { lastSignInAt: now, failedSecondFactorCount: 0, secondFactorLockedUntil: null } });
    await audit(tx, { accountId: user.accountId, type: AuditType.signInSucceeded, actorId: userId, targetId: userId, request: input.request });
    return { userId, sessionToken: token, sessionId: session.id };
  });
}
