import { AuditType, audit } from "./audit";
import { SECOND_FACTOR_LOCKOUT_MS, SECOND_FACTOR_LOCKOUT_THRESHOLD } from "./config";
import { db, type Tx } from "./db";
import * as emails from "./emails";
import type { User } from "./generated/sqlite/client";
import { sendEmail } from "./mail";
import type { RequestInfo } from "./request-info";

// The lockout that guards the second step (SPEC §8): failures are counted per user in the
// database, across challenges, browsers, IPs and app instances. Signing in, disabling 2FA
// and the API all count towards the same lock.

export type LockState = { locked: true; until: Date } | { locked: false; until?: undefined };

export function secondFactorLockState(user: Pick<User, "secondFactorLockedUntil">, now = new Date()): LockState {
  const until = user.secondFactorLockedUntil;
  return until && until > now ? { locked: true, until } : { locked: false };
}

export type FailureOutcome = { locked: true; until: Date } | { locked: false; attemptsLeft: number };

// Counts one failed attempt. The count only moves while the user is not locked, and the
// attempt that reaches the threshold turns it into a lock in the same transaction, so
// simultaneous failures lock (and email) once.
export async function recordSecondFactorFailure(options: {
  userId: string;
  challengeId?: string;
  request: RequestInfo;
  now?: Date;
}): Promise<FailureOutcome> {
  const { userId } = options;
  const now = options.now ?? new Date();
  const { user, threshold, lockedUntil, newlyLocked } = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, OR: [{ secondFactorLockedUntil: null }, { secondFactorLockedUntil: { lte: now } }] },
      data: { failedSecondFactorCount: { increment: 1 } },
    });
    if (options.challengeId)
      await tx.loginChallenge.updateMany({
        where: { id: options.challengeId },
        data: { failedAttempts: { increment: 1 } },
      });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
    const threshold = user.account.lockoutThreshold || SECOND_FACTOR_LOCKOUT_THRESHOLD;
    // Not counted: a simultaneous attempt locked the user after this one checked.
    if (count === 0) return { user, threshold, lockedUntil: user.secondFactorLockedUntil, newlyLocked: false };
    if (user.failedSecondFactorCount < threshold) return { user, threshold, lockedUntil: null, newlyLocked: false };
    const until = new Date(now.getTime() + SECOND_FACTOR_LOCKOUT_MS);
    await tx.user.update({
      where: { id: userId },
      data: { failedSecondFactorCount: 0, secondFactorLockedUntil: until },
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.twoFactorLocked,
      targetId: userId,
      request: options.request,
      data: { attempts: threshold, until: until.toISOString() },
    });
    return { user, threshold, lockedUntil: until, newlyLocked: true };
  });
  if (newlyLocked) {
    await sendEmail({
      to: user.email,
      userId,
      ...emails.secondFactorLocked({ name: user.name, threshold, ip: options.request.ip }),
    });
  }
  return lockedUntil
    ? { locked: true, until: lockedUntil }
    : { locked: false, attemptsLeft: threshold - user.failedSecondFactorCount };
}

// A right code starts the count again; a lock that stands is left to run out.
export async function resetSecondFactorFailures(tx: Tx, userId: string) {
  await tx.user.update({ where: { id: userId }, data: { failedSecondFactorCount: 0 } });
}

// Ends a lock at once and forgets the count: an admin's unlock, and a completed sign-in.
export async function unlockSecondFactor(tx: Tx, userId: string) {
  await tx.user.update({ where: { id: userId }, data: { failedSecondFactorCount: 0, secondFactorLockedUntil: null } });
}
