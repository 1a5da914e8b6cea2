import { AuditType, audit } from "@/lib/audit/record";
import { DELIVERED_CODE_MAX_WRONG, SECOND_FACTOR_LOCKOUT_MS, SECOND_FACTOR_LOCKOUT_THRESHOLD } from "@/lib/config";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { db, type Tx } from "@/lib/platform/db";
import { observeLockout } from "@/lib/platform/observe";
import type { RequestInfo } from "@/lib/platform/request-info";

// The lockout that guards the second step (docs/security-model.md, "Limits and locks"):
// failures are counted per user in the database, across challenges, browsers, IPs and app
// instances. Signing in, disabling 2FA, sudo mode and the API all count towards the same lock.

// `emailed`: the email telling of this lock went out, so the pages may say so.
export type LockState = { locked: true; until: Date; emailed: boolean } | { locked: false };

export function secondFactorLockState(
  user: Pick<User, "secondFactorLockedUntil" | "secondFactorLockEmailedAt">,
  now = new Date(),
): LockState {
  const until = user.secondFactorLockedUntil;
  return until && until > now
    ? { locked: true, until, emailed: user.secondFactorLockEmailedAt !== null }
    : { locked: false };
}

// What is left before each limit stops the person: the lock, and, for a wrong SMS or
// email code, the sign-in's own five (lib/factors/sms-email/sign-in-codes.ts).
export type FailureOutcome =
  | { locked: true; until: Date; emailed: boolean }
  | { locked: false; attemptsLeft: number; signInTriesLeft?: number };

// Counts one failed attempt. The count only moves while the user is not locked, and the
// attempt that reaches the threshold turns it into a lock in the same transaction, so
// simultaneous failures lock (and email) once. `challengeId` names the sign-in whose
// texted or emailed code was wrong, which counts towards its five.
export async function recordSecondFactorFailure(options: {
  userId: string;
  challengeId?: string;
  request: RequestInfo;
  now?: Date;
}): Promise<FailureOutcome> {
  const { userId, challengeId } = options;
  const now = options.now ?? new Date();
  const { user, threshold, lockedUntil, newlyLocked, signInTriesLeft } = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, OR: [{ secondFactorLockedUntil: null }, { secondFactorLockedUntil: { lte: now } }] },
      data: { failedSecondFactorCount: { increment: 1 } },
    });
    const signInTriesLeft = challengeId
      ? DELIVERED_CODE_MAX_WRONG -
        (
          await tx.loginChallenge.update({
            where: { id: challengeId },
            data: { failedAttempts: { increment: 1 } },
            select: { failedAttempts: true },
          })
        ).failedAttempts
      : undefined;
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
    const threshold = user.account.lockoutThreshold || SECOND_FACTOR_LOCKOUT_THRESHOLD;
    const unchanged = { user, threshold, newlyLocked: false, signInTriesLeft };
    // Not counted: a simultaneous attempt locked the user after this one checked.
    if (count === 0) return { ...unchanged, lockedUntil: user.secondFactorLockedUntil };
    if (user.failedSecondFactorCount < threshold) return { ...unchanged, lockedUntil: null };
    const until = new Date(now.getTime() + SECOND_FACTOR_LOCKOUT_MS);
    await tx.user.update({
      where: { id: userId },
      data: { failedSecondFactorCount: 0, secondFactorLockedUntil: until, secondFactorLockEmailedAt: null },
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.twoFactorLocked,
      targetId: userId,
      request: options.request,
      data: { attempts: threshold, until: until.toISOString() },
    });
    return { ...unchanged, lockedUntil: until, newlyLocked: true };
  });
  if (newlyLocked && lockedUntil) {
    observeLockout(userId, lockedUntil);
    const sent = await sendEmail({
      to: user.email,
      userId,
      ...emails.secondFactorLocked({ name: user.name, threshold, ip: options.request.ip }),
    });
    // Only for this lock: an admin may have lifted it (or a new one begun) meanwhile.
    if (sent.ok)
      await db.user.updateMany({
        where: { id: userId, secondFactorLockedUntil: lockedUntil },
        data: { secondFactorLockEmailedAt: new Date() },
      });
    return { locked: true, until: lockedUntil, emailed: sent.ok };
  }
  if (lockedUntil) return { locked: true, until: lockedUntil, emailed: user.secondFactorLockEmailedAt !== null };
  return { locked: false, attemptsLeft: threshold - user.failedSecondFactorCount, signInTriesLeft };
}

// A right code starts the count again; a lock that stands is left to run out.
// Nothing to write when the user's row, read in this request, counts no failure: a
// failure counted since then only leaves the count one higher, never a lock undone.
export async function resetSecondFactorFailures(tx: Tx, user: Pick<User, "id" | "failedSecondFactorCount">) {
  if (user.failedSecondFactorCount === 0) return;
  await tx.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 0 } });
}

// A user with no lock and no count: an admin's unlock, and a completed sign-in.
export const UNLOCKED = { failedSecondFactorCount: 0, secondFactorLockedUntil: null, secondFactorLockEmailedAt: null };

export async function unlockSecondFactor(tx: Tx, userId: string) {
  await tx.user.update({ where: { id: userId }, data: UNLOCKED });
}
