import { AuditType, audit } from "./audit";
import { db, type Tx } from "./db";
import { type CodeDelivery, endChallengeIfExhausted, readCodeDelivery, redeemChallengeCode } from "./delivered-code";
import * as emails from "./emails";
import { canDisableTwoFactor, type PolicyAccount } from "./enforcement";
import { ErrorCode } from "./errors";
import type { User } from "./generated/sqlite/client";
import { type LockState, recordSecondFactorFailure, resetSecondFactorFailures, secondFactorLockState } from "./lockout";
import { discardPendingChallenges, findLoginChallenge, markFactorVerified } from "./login-challenge";
import { sendEmail } from "./mail";
import { isDeliveredMethod, type TwoFactorMethod } from "./methods";
import { consumeRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";
import type { RequestInfo } from "./request-info";
import { revokeOtherSessions } from "./session";
import { confirmPassword } from "./sudo";
import { forgetAuthenticator, normalizeOtp, verifyTotpCode } from "./totp";
import { syncDefaultMethod } from "./user-methods";

// The second step of signing in, shared by the web and the API (its lockout is
// lib/lockout.ts), and the one way a user's second factor is taken down.

// A user the account requires 2FA of cannot turn it off.
export function mustHaveTwoFactor(user: Pick<User, "twoFactorExempt" | "role">, account: PolicyAccount): boolean {
  return !canDisableTwoFactor({ user, account });
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
    await resetSecondFactorFailures(tx, user.id);
    // A code received by SMS proves the phone number (SPEC §5: verified once by a code).
    if (delivered && challenge.pendingFactor === "sms" && !user.phoneVerifiedAt)
      await tx.user.update({ where: { id: user.id }, data: { phoneVerifiedAt: now } });
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
    ...emails.recoveryCodeUsed({ name: user.name, ip: request.ip, remaining }),
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
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    include: { account: true, totpCredential: { select: { id: true } } },
  });
  if (!user.twoFactorMethod) return { ok: false, error: ErrorCode.notEnabled };
  if (mustHaveTwoFactor(user, user.account)) return { ok: false, error: ErrorCode.enforced };
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return rateLimited(lock.until, now);
  const password = await confirmPassword({ userId, sessionId: options.sessionId, password: options.password, request });
  if (!password.ok) return password;
  if (user.totpCredential) {
    const check = await verifyTotpCode(db, { userId, code: options.code, now });
    if (!check.ok) {
      const failure = await recordSecondFactorFailure({ userId, request, now });
      return failure.locked ? rateLimited(failure.until, now) : check;
    }
  }

  await db.$transaction(async (tx) => {
    const sessionsEnded = await removeSecondFactor(tx, { userId, keepSessionId: options.sessionId, now });
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
    ...emails.twoFactorDisabled({ name: user.name, ip: request.ip }),
  });
  return { ok: true };
}

// Takes down all of the user's second factors in the caller's transaction, with
// everything made with them or able to stand in for them: the authenticator's secret and
// any pending app setup, every passkey, SMS and email codes, the recovery codes, every
// session but `keepSessionId` and every half-finished sign-in. Turning 2FA off and an
// admin's reset end here, so neither can leave a dormant factor behind. Returns how many
// sessions ended.
export async function removeSecondFactor(
  tx: Tx,
  options: { userId: string; keepSessionId?: string; now?: Date },
): Promise<number> {
  const { userId } = options;
  await forgetAuthenticator(tx, userId);
  await tx.webAuthnCredential.deleteMany({ where: { userId } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.user.update({
    where: { id: userId },
    data: { twoFactorMethod: null, twoFactorEnabledAt: null, smsEnabledAt: null, emailCodesEnabledAt: null },
  });
  const sessionsEnded = await revokeOtherSessions(tx, { userId, keepSessionId: options.keepSessionId });
  await discardPendingChallenges(tx, userId, options.now);
  return sessionsEnded;
}

// Takes one method away while others remain, in the caller's transaction: the app's
// secret, one passkey, or SMS or email codes. The last method goes only through
// disableTwoFactor. Half-finished sign-ins waiting for it are discarded.
export async function takeMethodAway(
  tx: Tx,
  options: { userId: string; method: TwoFactorMethod; passkeyId?: string; now: Date },
) {
  const { userId, method, now } = options;
  if (method === "totp") await forgetAuthenticator(tx, userId);
  if (method === "passkey") await tx.webAuthnCredential.deleteMany({ where: { id: options.passkeyId, userId } });
  if (method === "sms") await tx.user.update({ where: { id: userId }, data: { smsEnabledAt: null } });
  if (method === "email") await tx.user.update({ where: { id: userId }, data: { emailCodesEnabledAt: null } });
  await syncDefaultMethod(tx, userId, now);
  await tx.loginChallenge.updateMany({
    where: { userId, consumedAt: null, factorVerifiedAt: null, pendingFactor: method },
    data: { consumedAt: now },
  });
}
