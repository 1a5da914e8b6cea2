import { canDisableTwoFactor, canRemoveMethod, type PolicyAccount } from "@/lib/account/policy";
import { type AuditData, AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { readMethods, syncDefaultMethod } from "@/lib/factors/enrolled";
import { isDeliveredMethod, methodFacts, methodLabels, methodsOf, type TwoFactorMethod } from "@/lib/factors/kinds";
import { consumeRecoveryCode, normalizeRecoveryCode } from "@/lib/factors/recovery-codes";
import {
  type CodeDelivery,
  endChallengeIfExhausted,
  endedByWrongCodes,
  readCodeDelivery,
  redeemChallengeCode,
  sendChallengeCode,
} from "@/lib/factors/sms-email/sign-in-codes";
import { forgetAuthenticator, normalizeOtp, verifyTotpCode } from "@/lib/factors/totp";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { verifyPasskeyAssertion } from "@/lib/passkeys/assertion";
import { db, type Tx } from "@/lib/platform/db";
import { ipLimitKey, recordFailure, retryAfterMs } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { revokeOtherSessions } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { type LockState, recordSecondFactorFailure, resetSecondFactorFailures, secondFactorLockState } from "./lockout";
import {
  createLoginChallenge,
  discardPendingChallenges,
  findAnyLoginChallenge,
  findLoginChallenge,
  markFactorVerified,
} from "./login-challenge";

// The second step of signing in, shared by the web and the API (its lockout is
// lib/sign-in/lockout.ts), and the one way a user's second factor is taken down.

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

export type EndedSignIn =
  | { ended: "locked"; lock: Extract<LockState, { locked: true }> }
  | { ended: "too_many_attempts" };

// Why the sign-in behind a challenge token that no longer works cannot go on, when there
// is more to say than "it expired": the user's second step is locked, or the sign-in used
// up its texted or emailed codes. Only the browser holding the token can ask, and it has
// passed the password.
export async function readEndedSignIn(token: string, now = new Date()): Promise<EndedSignIn | null> {
  const challenge = await findAnyLoginChallenge(token);
  if (!challenge) return null;
  const lock = secondFactorLockState(challenge.user, now);
  if (lock.locked) return { ended: "locked", lock };
  return endedByWrongCodes(challenge) ? { ended: "too_many_attempts" } : null;
}

// What the person gave: the code the challenge waits for (from the app, or the one sent
// by SMS or email), a recovery code, or a passkey's answer to the browser's request.
export type SecondFactorKind = "code" | "recovery" | "passkey";
type CodeError =
  | typeof ErrorCode.invalidFormat
  | typeof ErrorCode.invalidCode
  | typeof ErrorCode.replayed
  | typeof ErrorCode.passkeyRejected;
// Where the code was meant to come from, so that a refusal names the right place to look.
export type CodeSource = "app" | "sms" | "email" | "recovery" | "passkey";

// A refusal says what is left before each limit: `attemptsLeft` before the lock, and
// `signInTriesLeft` before a sign-in by SMS or email code ends (its fifth wrong code
// ends it with too_many_attempts instead).
export type SecondFactorResult =
  | { ok: true; remaining?: number }
  | { ok: false; error: typeof ErrorCode.challengeExpired }
  | { ok: false; error: typeof ErrorCode.tooManyAttempts }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date; emailed: boolean }
  | { ok: false; error: CodeError; attemptsLeft: number; signInTriesLeft?: number; source: CodeSource };

// The whole second step. Success marks the challenge so that completeSignIn can turn it
// into a session.
export async function verifySecondFactor(
  options: { challengeToken: string; request: RequestInfo; now?: Date } & (
    | { kind: "code" | "recovery"; code: string }
    | { kind: "passkey"; response: unknown }
  ),
): Promise<SecondFactorResult> {
  const { kind, request } = options;
  const now = options.now ?? new Date();
  const challenge = await findLoginChallenge(options.challengeToken, now);
  if (!challenge?.pendingFactor || challenge.factorVerifiedAt) return { ok: false, error: ErrorCode.challengeExpired };
  const { user } = challenge;
  // Before the code is looked at, so that a locked account tells a guesser nothing.
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until, emailed: lock.emailed };

  // SMS and email codes belong to the challenge; lib/factors/sms-email/sign-in-codes uses them up itself.
  const delivered = kind === "code" && isDeliveredMethod(challenge.pendingFactor);
  // A texted sign-in may have got its code by email (fallback): the row says where it went.
  const source: CodeSource =
    kind === "recovery" || kind === "passkey"
      ? kind
      : !delivered
        ? "app"
        : challenge.codeChannel === "email" || challenge.pendingFactor === "email"
          ? "email"
          : "sms";

  // A replayed code counts like any wrong one: otherwise replaying would be free guessing.
  // Only the codes we send count towards the sign-in's five, malformed ones included.
  const fail = async (error: CodeError): Promise<SecondFactorResult> => {
    const outcome = await recordSecondFactorFailure({
      userId: user.id,
      challengeId: delivered ? challenge.id : undefined,
      request,
      now,
    });
    await audit(db, {
      accountId: user.accountId,
      type: AuditType.signInFailed,
      targetId: user.id,
      request,
      data: { reason: "second_factor", error },
    });
    const ended = delivered && (await endChallengeIfExhausted({ challengeId: challenge.id, now }));
    if (outcome.locked)
      return { ok: false, error: ErrorCode.locked, lockedUntil: outcome.until, emailed: outcome.emailed };
    if (ended) return { ok: false, error: ErrorCode.tooManyAttempts };
    return { ok: false, error, attemptsLeft: outcome.attemptsLeft, signInTriesLeft: outcome.signInTriesLeft, source };
  };

  let code = "";
  // Which passkey answered, so the log can name it.
  let passkey: AuditData = {};
  if (options.kind === "passkey") {
    // Only when the sign-in waits for a passkey: the user chose it on this challenge.
    if (challenge.pendingFactor !== "passkey") return { ok: false, error: ErrorCode.challengeExpired };
    const assertion = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: user.id,
      loginChallengeId: challenge.id,
      response: options.response,
      now,
    });
    if (!assertion.ok) return fail(ErrorCode.passkeyRejected);
    passkey = { passkeyId: assertion.passkeyId, name: assertion.passkeyName };
  } else {
    code = (kind === "recovery" ? normalizeRecoveryCode(options.code) : normalizeOtp(options.code)) ?? "";
    if (!code) return fail(ErrorCode.invalidFormat);
  }

  if (delivered && !(await redeemChallengeCode({ challengeId: challenge.id, code })))
    return fail(ErrorCode.invalidCode);

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
        : delivered || kind === "passkey"
          ? { ok: true as const }
          : await verifyTotpCode(tx, { userId: user.id, code, now });
    if (!check.ok) {
      await tx.loginChallenge.update({ where: { id: challenge.id }, data: { factorVerifiedAt: null } });
      return check;
    }
    // A code received by SMS proves the phone number (SPEC §5: verified once by a code).
    if (delivered && challenge.pendingFactor === "sms" && !user.phoneVerifiedAt)
      await tx.user.update({ where: { id: user.id }, data: { phoneVerifiedAt: now } });
    const { remaining } = check;
    await factorPassed(tx, {
      user,
      request,
      type: remaining === undefined ? AuditType.twoFactorVerified : AuditType.recoveryCodeUsed,
      data: remaining === undefined ? { method: challenge.pendingFactor, ...passkey } : { remaining },
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

// What every passed second factor does, whichever way it came: the failure count starts
// again and the audit log says how.
async function factorPassed(
  tx: Tx,
  options: { user: Pick<User, "id" | "accountId">; request: RequestInfo; type: AuditType; data: AuditData },
) {
  const { user } = options;
  await resetSecondFactorFailures(tx, user.id);
  await audit(tx, {
    accountId: user.accountId,
    type: options.type,
    actorId: user.id,
    targetId: user.id,
    request: options.request,
    data: options.data,
  });
}

// "Try another way" (SPEC §13): the sign-in goes on with another of the user's methods.
// The server decides which methods the user has. A code by SMS or email is sent at once
// by its own channel, and the previous code dies; switching back and forth is bounded by
// the challenge's count of sends and the hourly caps (lib/factors/sms-email/sign-in-codes).
export async function switchSecondFactor(options: {
  challengeToken: string;
  method: TwoFactorMethod;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: typeof ErrorCode.challengeExpired | typeof ErrorCode.notEnabled }> {
  const now = options.now ?? new Date();
  const challenge = await findLoginChallenge(options.challengeToken, now);
  if (!challenge?.pendingFactor || challenge.factorVerifiedAt) return { ok: false, error: ErrorCode.challengeExpired };
  if (!(await readMethods(db, challenge.userId)).includes(options.method))
    return { ok: false, error: ErrorCode.notEnabled };
  const { count } = await db.loginChallenge.updateMany({
    where: { id: challenge.id, consumedAt: null, factorVerifiedAt: null },
    data: { pendingFactor: options.method, codeHash: null, codeSentAt: null, codeChannel: null, codeFallback: null },
  });
  if (count !== 1) return { ok: false, error: ErrorCode.challengeExpired };
  if (isDeliveredMethod(options.method)) await sendChallengeCode({ challengeId: challenge.id, now });
  return { ok: true };
}

export type PasskeySignInResult =
  | { ok: true; challengeToken: string }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number }
  | { ok: false; error: typeof ErrorCode.passkeyRejected | typeof ErrorCode.userVerificationRequired }
  | { ok: false; error: typeof ErrorCode.accountDisabled }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date };

// "Sign in with a passkey" (SPEC §13): a passkey that verified the person (PIN,
// fingerprint, face) is both factors. It makes a login challenge that has passed its
// factor, so the session, lockout, audit and enforcement are those of every other
// sign-in (completeSignIn). A passkey without user verification proves only possession:
// it can be the second step after the password, never the whole sign-in.
export async function passkeySignIn(options: {
  browserToken: string;
  response: unknown;
  request: RequestInfo;
  now?: Date;
}): Promise<PasskeySignInResult> {
  const { request } = options;
  const now = options.now ?? new Date();
  // Failures count against the address like wrong passwords (SPEC §8), and against the
  // passkey's owner when the credential is known, like wrong codes.
  const byIp = ipLimitKey(request.ip);
  const wait = await retryAfterMs([byIp], now);
  if (wait > 0) return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds: Math.ceil(wait / 1000) };
  const assertion = await verifyPasskeyAssertion({
    purpose: "passwordless",
    browserToken: options.browserToken,
    response: options.response,
    now,
  });
  if (!assertion.ok) {
    await recordFailure(byIp, now);
    if (assertion.userId) {
      const owner = await db.user.findUnique({ where: { id: assertion.userId } });
      if (owner) {
        await recordSecondFactorFailure({ userId: owner.id, request, now });
        await audit(db, {
          accountId: owner.accountId,
          type: AuditType.signInFailed,
          targetId: owner.id,
          request,
          data: { reason: "passkey" },
        });
      }
    }
    return { ok: false, error: ErrorCode.passkeyRejected };
  }
  const user = await db.user.findUniqueOrThrow({ where: { id: assertion.userId } });
  if (user.disabledAt) return { ok: false, error: ErrorCode.accountDisabled };
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until };
  if (!assertion.userVerified) return { ok: false, error: ErrorCode.userVerificationRequired };

  return db.$transaction(async (tx) => {
    const { token, challenge } = await createLoginChallenge(tx, {
      userId: user.id,
      pendingFactor: "passkey",
      request,
      now,
    });
    await markFactorVerified(tx, challenge.id, now);
    await factorPassed(tx, {
      user,
      request,
      type: AuditType.passkeySignIn,
      data: { method: "passkey", passkeyId: assertion.passkeyId, name: assertion.passkeyName },
    });
    return { ok: true as const, challengeToken: token };
  });
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
    const sessionsEnded = await removeSecondFactor(tx, {
      userId,
      keepSessionId: options.sessionId,
      now,
      endedBy: "user",
    });
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
// admin's reset end here, so neither can leave a dormant factor behind. `endedBy` is what
// the ended browsers are told (lib/sessions/sessions.ts). Returns how many sessions ended.
export async function removeSecondFactor(
  tx: Tx,
  options: { userId: string; keepSessionId?: string; now?: Date; endedBy: "admin" | "user" },
): Promise<number> {
  const { userId } = options;
  await forgetAuthenticator(tx, userId);
  await tx.webAuthnCredential.deleteMany({ where: { userId } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.user.update({
    where: { id: userId },
    data: { twoFactorMethod: null, twoFactorEnabledAt: null, smsEnabledAt: null, emailCodesEnabledAt: null },
  });
  const sessionsEnded = await revokeOtherSessions(tx, {
    userId,
    keepSessionId: options.keepSessionId,
    reason: options.endedBy === "admin" ? "admin" : "two_factor_changed",
  });
  await discardPendingChallenges(tx, userId, options.now);
  return sessionsEnded;
}

export type RemoveMethodResult =
  | { ok: true }
  | {
      ok: false;
      error:
        | typeof ErrorCode.notEnabled
        | typeof ErrorCode.notFound
        | typeof ErrorCode.enforced
        | typeof ErrorCode.lastMethod;
    };

// My Profile → Remove, for one method while others remain (SPEC §13); the caller has
// checked sudo mode. The last method goes only through disableTwoFactor (SPEC §6: the
// password, and a code for an app), and one the account requires cannot go at all.
export async function removeMethod(options: {
  userId: string;
  method: TwoFactorMethod;
  passkeyId?: string;
  request: RequestInfo;
  now?: Date;
}): Promise<RemoveMethodResult> {
  const { userId, method, request } = options;
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true, ...methodFacts } });
  const methods = methodsOf(user);
  if (!methods.includes(method)) return { ok: false, error: ErrorCode.notEnabled };
  const passkey =
    method === "passkey" ? await db.webAuthnCredential.findFirst({ where: { id: options.passkeyId, userId } }) : null;
  if (method === "passkey" && !passkey) return { ok: false, error: ErrorCode.notFound };
  const lastPasskey = user._count.webAuthnCredentials === 1;
  if (!canRemoveMethod({ user, account: user.account, method, lastPasskey }))
    return { ok: false, error: ErrorCode.enforced };
  if (methods.length === 1 && (method !== "passkey" || lastPasskey)) return { ok: false, error: ErrorCode.lastMethod };

  await db.$transaction(async (tx) => {
    await takeMethodAway(tx, { userId, method, passkeyId: passkey?.id, now });
    await audit(tx, {
      accountId: user.accountId,
      type: passkey ? AuditType.passkeyRemoved : AuditType.twoFactorMethodRemoved,
      actorId: userId,
      targetId: userId,
      request,
      data: passkey ? { passkeyId: passkey.id, name: passkey.name } : { method },
    });
  });
  await sendEmail({
    to: user.email,
    userId,
    ...(passkey
      ? emails.passkeyRemoved({ name: user.name, passkeyName: passkey.name, ip: request.ip })
      : emails.methodRemoved({ name: user.name, method: methodLabels[method].title, ip: request.ip })),
  });
  return { ok: true };
}

// Takes one method away while others remain, in the caller's transaction: the app's
// secret, one passkey, or SMS or email codes. The last method goes only through
// disableTwoFactor. Half-finished sign-ins waiting for it are discarded.
async function takeMethodAway(
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
