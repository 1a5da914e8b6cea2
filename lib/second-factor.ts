import { AuditType, audit } from "./audit";
import { RECOVERY_CODES_LOW, SECOND_FACTOR_LOCKOUT_MS, SECOND_FACTOR_LOCKOUT_THRESHOLD } from "./config";
import { db } from "./db";
import { type CodeDelivery, endChallengeIfExhausted, readCodeDelivery, redeemChallengeCode } from "./delivered-code";
import { canDisableTwoFactor, type PolicyAccount, type PolicyUser } from "./enforcement";
import { env } from "./env";
import { ErrorCode } from "./errors";
import type { User } from "./generated/sqlite/client";
import { discardPendingChallenges, findLoginChallenge, markFactorVerified } from "./login-challenge";
import { sendEmail } from "./mail";
import { isDeliveredMethod } from "./methods";
import { consumeRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";
import type { RequestInfo } from "./request-info";
import { revokeOtherSessions } from "./session";
import { confirmPassword } from "./sudo";
import { normalizeOtp, verifyTotpCode } from "./totp";

// The second step of signing in, shared by the web and the API, and the lockout that
// guards it (SPEC §8): failures are counted per user in the database, across challenges,
// browsers, IPs and app instances.

const LOCKOUT_MINUTES = SECOND_FACTOR_LOCKOUT_MS / 60_000;

// A user the account requires 2FA of cannot turn it off.
export function mustHaveTwoFactor(user: PolicyUser, account: PolicyAccount): boolean {
  return !canDisableTwoFactor({ user, account });
}

export type LockState = { locked: true; until: Date } | { locked: false; until?: undefined };

export function secondFactorLockState(user: Pick<User, "secondFactorLockedUntil">, now = new Date()): LockState {
  const until = user.secondFactorLockedUntil;
  return until && until > now ? { locked: true, until } : { locked: false };
}

// What the second step can say before any code is typed, for the page and the API alike:
// whether a lock stands in the way, and where the challenge's code went (SMS and email).
export async function readSecondStep(options: {
  challengeId: string;
  now?: Date;
}): Promise<{ lock: LockState; delivery: CodeDelivery | null }> {
  const now = options.now ?? new Date();
  const challenge = await db.loginChallenge.findUniqueOrThrow({
    where: { id: options.challengeId },
    include: { user: true },
  });
  const delivered = isDeliveredMethod(challenge.pendingFactor);
  return {
    lock: secondFactorLockState(challenge.user, now),
    delivery: delivered ? await readCodeDelivery(challenge, now) : null,
  };
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
      subject: "Sign-in to your StrongSign account was locked",
      text: `Hello ${user.name},\n\nYour sign-in was locked for ${LOCKOUT_MINUTES} minutes after ${threshold} failed attempts at the second step (a code from your authenticator app, a sign-in code or a recovery code). The last attempt came from IP ${options.request.ip}.\n\nIf this was you, wait and try again. If it wasn't, someone knows your password: change it at once and tell your administrator.\n${env().APP_URL}/profile\n`,
    });
  }
  return lockedUntil
    ? { locked: true, until: lockedUntil }
    : { locked: false, attemptsLeft: threshold - user.failedSecondFactorCount };
}

// What the person typed: the code the challenge waits for (from the app, or the one sent
// by SMS or email), or a recovery code.
export type SecondFactorKind = "code" | "recovery";
type CodeError = typeof ErrorCode.invalidFormat | typeof ErrorCode.invalidCode | typeof ErrorCode.replayed;
// Where the code was meant to come from, so that a refusal names the right place to look.
export type CodeSource = "app" | "sms" | "email" | "recovery";

export type SecondFactorResult =
  | { ok: true; remaining?: number }
  | { ok: false; error: typeof ErrorCode.challengeExpired }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date }
  | { ok: false; error: CodeError; attemptsLeft: number; source: CodeSource };

// The whole second step. Success marks the challenge so that completeSignIn can turn it
// into a session.
export async function verifySecondFactor(options: {
  challengeToken: string;
  code: string;
  kind: SecondFactorKind;
  request: RequestInfo;
  now?: Date;
}): Promise<SecondFactorResult> {
  const { kind, request } = options;
  const now = options.now ?? new Date();
  const challenge = await findLoginChallenge(options.challengeToken, now);
  if (!challenge?.pendingFactor || challenge.factorVerifiedAt) return { ok: false, error: ErrorCode.challengeExpired };
  const { user } = challenge;
  // Before the code is looked at, so that a locked account tells a guesser nothing.
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until };

  // SMS and email codes belong to the challenge; lib/delivered-code uses them up itself.
  const delivered = kind === "code" && isDeliveredMethod(challenge.pendingFactor);
  // A texted sign-in may have got its code by email (fallback): the row says where it went.
  const source: CodeSource =
    kind === "recovery"
      ? "recovery"
      : !delivered
        ? "app"
        : challenge.codeChannel === "email" || challenge.pendingFactor === "email"
          ? "email"
          : "sms";

  // A replayed code counts like any wrong one: otherwise replaying would be free guessing.
  const fail = async (error: CodeError): Promise<SecondFactorResult> => {
    const outcome = await recordSecondFactorFailure({ userId: user.id, challengeId: challenge.id, request, now });
    await audit(db, {
      accountId: user.accountId,
      type: AuditType.signInFailed,
      targetId: user.id,
      request,
      data: { reason: "second_factor", error },
    });
    return outcome.locked
      ? { ok: false, error: ErrorCode.locked, lockedUntil: outcome.until }
      : { ok: false, error, attemptsLeft: outcome.attemptsLeft, source };
  };

  const code = kind === "recovery" ? normalizeRecoveryCode(options.code) : normalizeOtp(options.code);
  if (!code) return fail(ErrorCode.invalidFormat);

  if (delivered && !(await redeemChallengeCode({ challengeId: challenge.id, code }))) {
    const failure = await fail(ErrorCode.invalidCode);
    await endChallengeIfExhausted({ challengeId: challenge.id, now });
    return failure;
  }

  const outcome = await db.$transaction(async (tx) => {
    // The challenge is claimed before the code is checked, so two attempts on one
    // challenge take turns; a wrong code hands it back.
    if (!(await markFactorVerified(tx, challenge.id, now)))
      return { ok: false as const, error: ErrorCode.challengeExpired };
    const check:
      | { ok: true; remaining?: number }
      | { ok: false; error: typeof ErrorCode.invalidCode | typeof ErrorCode.replayed } =
      kind === "recovery"
        ? await consumeRecoveryCode(tx, { userId: user.id, code, now })
        : delivered
          ? { ok: true as const }
          : await verifyTotpCode(tx, { userId: user.id, code, now });
    if (!check.ok) {
      await tx.loginChallenge.update({ where: { id: challenge.id }, data: { factorVerifiedAt: null } });
      return check;
    }
    // A code received by SMS proves the phone number (SPEC §5: verified once by a code).
    const provesPhone = delivered && challenge.pendingFactor === "sms" && !user.phoneVerifiedAt;
    await tx.user.update({
      where: { id: user.id },
      data: { failedSecondFactorCount: 0, ...(provesPhone ? { phoneVerifiedAt: now } : {}) },
    });
    const { remaining } = check;
    await audit(tx, {
      accountId: user.accountId,
      type: remaining === undefined ? AuditType.twoFactorVerified : AuditType.recoveryCodeUsed,
      actorId: user.id,
      targetId: user.id,
      request,
      data: remaining === undefined ? { method: challenge.pendingFactor } : { remaining },
    });
    return { ok: true as const, remaining };
  });
  if (!outcome.ok)
    return outcome.error === "challenge_expired" ? { ok: false, error: outcome.error } : fail(outcome.error);
  if (outcome.remaining === undefined) return { ok: true };

  const { remaining } = outcome;
  await sendEmail({
    to: user.email,
    userId: user.id,
    subject: "A recovery code was used to sign in to StrongSign",
    text: `Hello ${user.name},\n\nA recovery code was just used to sign in to your account (IP ${request.ip}). You have ${remaining} recovery code${remaining === 1 ? "" : "s"} left.${remaining <= RECOVERY_CODES_LOW ? " That is very few: generate new codes in My Profile now, so that you don't get locked out." : ""}\n\nIf you lost your phone, set up your authenticator app again in My Profile. If this wasn't you, change your password at once and tell your administrator.\n${env().APP_URL}/profile\n`,
  });
  return { ok: true, remaining };
}

export type DisableResult =
  | { ok: true }
  | {
      ok: false;
      error:
        | typeof ErrorCode.notEnabled
        | typeof ErrorCode.enforced
        | typeof ErrorCode.wrongPassword
        | typeof ErrorCode.invalidCode
        | typeof ErrorCode.replayed;
    }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number };

function rateLimited(until: Date, now: Date) {
  return {
    ok: false as const,
    error: ErrorCode.rateLimited,
    retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000),
  };
}

// SPEC §6: the password, and for an app a current code, which counts towards the same
// lockout as sign-in, so a stolen session cannot guess its way to switching 2FA off.
export async function disableTwoFactor(options: {
  userId: string;
  sessionId: string;
  password: string;
  code: string;
  request: RequestInfo;
  now?: Date;
}): Promise<DisableResult> {
  const { userId, request } = options;
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
  if (!user.twoFactorMethod) return { ok: false, error: ErrorCode.notEnabled };
  if (mustHaveTwoFactor(user, user.account)) return { ok: false, error: ErrorCode.enforced };
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return rateLimited(lock.until, now);
  const password = await confirmPassword({ userId, sessionId: options.sessionId, password: options.password, request });
  if (!password.ok) return password;
  if (user.twoFactorMethod === "totp") {
    const check = await verifyTotpCode(db, { userId, code: options.code, now });
    if (!check.ok) {
      const failure = await recordSecondFactorFailure({ userId, request, now });
      return failure.locked ? rateLimited(failure.until, now) : check;
    }
  }

  await db.$transaction(async (tx) => {
    await tx.totpCredential.deleteMany({ where: { userId } });
    await tx.totpSetup.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.user.update({ where: { id: userId }, data: { twoFactorMethod: null, twoFactorEnabledAt: null } });
    const sessionsEnded = await revokeOtherSessions(tx, { userId, keepSessionId: options.sessionId });
    await discardPendingChallenges(tx, userId, now);
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.twoFactorDisabled,
      actorId: userId,
      targetId: userId,
      request,
      data: { method: user.twoFactorMethod, sessionsEnded },
    });
  });
  await sendEmail({
    to: user.email,
    userId,
    subject: "Two-factor authentication was turned off",
    text: `Hello ${user.name},\n\nTwo-factor authentication was turned off for your account (IP ${request.ip}). Signing in now needs only your password; your recovery codes no longer work, and your other sessions were signed out.\n\nIf this wasn't you, change your password at once and tell your administrator.\n${env().APP_URL}/profile\n`,
  });
  return { ok: true };
}
