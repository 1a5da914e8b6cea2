import { type AuditData, type AuditInput, AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { isDeliveredMethod, methodFacts, methodsOf, type TwoFactorMethod } from "@/lib/factors/kinds";
import { countRemainingRecoveryCodes } from "@/lib/factors/recovery-codes";
import {
  type CodeDelivery,
  endChallengeIfExhausted,
  endedByWrongCodes,
  readCodeDelivery,
} from "@/lib/factors/sms-email/sign-in-codes";
import { totpIssuer } from "@/lib/factors/totp";
import type { CodeError, CodeSource } from "@/lib/factors/verifier";
import { verifiers } from "@/lib/factors/verifiers";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { maskPhone } from "@/lib/messages/phone";
import { db, type Tx } from "@/lib/platform/db";
import { observeSignIn } from "@/lib/platform/observe";
import type { RequestInfo } from "@/lib/platform/request-info";
import { type LockState, recordSecondFactorFailure, resetSecondFactorFailures, secondFactorLockState } from "./lockout";
import {
  type FoundLoginChallenge,
  findAnyLoginChallenge,
  findLoginChallenge,
  markFactorVerified,
} from "./login-challenge";
import { type SignedIn, type SignInClient, signedIn, startSession } from "./password-step";
import { noteRememberWish, rememberWish } from "./remembered-browser";

// The second step of signing in, shared by the web and the API: what it can say before
// any code is typed, and checking the answer. Its lockout is lib/sign-in/lockout.ts; each
// kind of answer is checked by its row in lib/factors/verifiers.ts.

function maskEmail(email: string) {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

// What the second step can say before any code is typed, for the page and the API alike:
// whether a lock stands in the way, where the challenge's code went (SMS and email) and,
// masked, to which number or address (null: no number on record), the user's other
// methods ("Try another way"), whether a recovery code can stand in, and the name the
// authenticator app's entry carries. The page passes the challenge it has just found.
export async function readSecondStep(
  options: ({ challengeId: string } | { challenge: FoundLoginChallenge }) & { now?: Date },
): Promise<{
  lock: LockState;
  delivery: CodeDelivery | null;
  destination: string | null;
  others: TwoFactorMethod[];
  hasRecoveryCodes: boolean;
  issuer: string;
}> {
  const now = options.now ?? new Date();
  const challenge =
    "challenge" in options
      ? options.challenge
      : await db.loginChallenge.findUniqueOrThrow({
          where: { id: options.challengeId },
          include: { user: { include: { account: { select: { name: true } }, ...methodFacts } } },
        });
  const { user } = challenge;
  const delivery = isDeliveredMethod(challenge.pendingFactor) ? await readCodeDelivery(challenge, now) : null;
  const methods = methodsOf(user);
  const recoveryCodesLeft = await countRemainingRecoveryCodes(user.id);
  const destinations = { sms: user.phone ? maskPhone(user.phone) : null, email: maskEmail(user.email) };
  return {
    lock: secondFactorLockState(user, now),
    delivery,
    destination: delivery?.sent ? destinations[delivery.channel] : null,
    others: methods.filter((method) => method !== challenge.pendingFactor),
    hasRecoveryCodes: recoveryCodesLeft > 0,
    issuer: totpIssuer(user.account.name),
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

// A refusal says what is left before each limit: `attemptsLeft` before the lock, and
// `signInTriesLeft` before a sign-in by SMS or email code ends (its fifth wrong code
// ends it with too_many_attempts instead).
export type SecondFactorResult =
  | { ok: true; remaining?: number; session?: SignedIn }
  | { ok: false; error: typeof ErrorCode.challengeExpired }
  | { ok: false; error: typeof ErrorCode.tooManyAttempts }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date; emailed: boolean }
  | { ok: false; error: CodeError; attemptsLeft: number; signInTriesLeft?: number; source: CodeSource };

// A code is the one the challenge waits for: one we sent (SMS or email), else the app's.
function verifierKind(kind: SecondFactorKind, pendingFactor: TwoFactorMethod): keyof typeof verifiers {
  if (kind !== "code") return kind;
  return isDeliveredMethod(pendingFactor) ? pendingFactor : "totp";
}

// The whole second step. Success marks the challenge so that completeSignIn can turn it
// into a session; `remember` (the web's "Don't ask for a second step on this browser")
// is noted on it in the same transaction (lib/sign-in/remembered-browser.ts). Given the
// `client` signing in, success burns the challenge and makes the session in that same
// transaction instead, and the result carries it (none for a user disabled meanwhile): one
// transaction for the whole step.
export async function verifySecondFactor(
  options: { challengeToken: string; request: RequestInfo; now?: Date; remember?: boolean; client?: SignInClient } & (
    | { kind: "code" | "recovery"; code: string }
    | { kind: "passkey"; response: unknown }
  ),
): Promise<SecondFactorResult> {
  const { kind, request } = options;
  const now = options.now ?? new Date();
  const challenge = await findLoginChallenge(options.challengeToken, now);
  if (!challenge?.pendingFactor || challenge.factorVerifiedAt) return { ok: false, error: ErrorCode.challengeExpired };
  const { user } = challenge;
  const method = verifierKind(kind, challenge.pendingFactor);
  // Before the code is looked at, so that a locked account tells a guesser nothing.
  const lock = secondFactorLockState(user, now);
  if (lock.locked) {
    observeSignIn("locked", method, user.id);
    return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until, emailed: lock.emailed };
  }
  // A passkey only when the sign-in waits for one: the user chose it on this challenge.
  if (kind === "passkey" && challenge.pendingFactor !== "passkey")
    return { ok: false, error: ErrorCode.challengeExpired };

  const verifier = verifiers[method];
  // SMS and email codes belong to the challenge; the sign-in's five count only them.
  const { delivered } = verifier;
  const source = verifier.source(challenge);

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
    observeSignIn("second_step_failed", method, user.id);
    const ended = delivered && (await endChallengeIfExhausted({ challengeId: challenge.id, now }));
    if (outcome.locked)
      return { ok: false, error: ErrorCode.locked, lockedUntil: outcome.until, emailed: outcome.emailed };
    if (ended) return { ok: false, error: ErrorCode.tooManyAttempts };
    return { ok: false, error, attemptsLeft: outcome.attemptsLeft, signInTriesLeft: outcome.signInTriesLeft, source };
  };

  const attempt = {
    userId: user.id,
    challenge,
    answer: options.kind === "passkey" ? { response: options.response } : { code: options.code },
    now,
  };
  const checked = await verifier.check(attempt);
  if (!checked.ok) return fail(checked.error);

  const { client } = options;
  const outcome = await db.$transaction(async (tx) => {
    // The challenge is claimed before the code is checked, so two attempts on one
    // challenge take turns; a wrong code hands it back.
    if (!(await markFactorVerified(tx, challenge.id, now, { consume: !!client })))
      return { ok: false as const, error: ErrorCode.challengeExpired };
    const check = await verifier.redeem(tx, { ...attempt, code: checked.code });
    if (!check.ok) {
      await tx.loginChallenge.update({
        where: { id: challenge.id },
        data: { factorVerifiedAt: null, consumedAt: null },
      });
      return check;
    }
    const { remaining } = check;
    const passed = await factorPassed(tx, {
      user,
      request,
      type: remaining === undefined ? AuditType.twoFactorVerified : AuditType.recoveryCodeUsed,
      data: remaining === undefined ? { method: challenge.pendingFactor, ...checked.audit } : { remaining },
    });
    const wish = options.remember ? rememberWish(user, kind === "passkey") : null;
    if (!client) {
      await audit(tx, passed);
      if (wish) await noteRememberWish(tx, { challengeId: challenge.id, wish });
      return { ok: true as const, remaining, started: null };
    }
    const started = await startSession(tx, {
      challenge: { ...challenge, rememberBrowser: wish },
      client,
      request,
      now,
      audited: passed,
    });
    return { ok: true as const, remaining, started };
  });
  if (!outcome.ok)
    return outcome.error === "challenge_expired" ? { ok: false, error: outcome.error } : fail(outcome.error);
  const { remaining, started } = outcome;
  const session = started && client ? await signedIn(started, { request, client }) : undefined;
  if (remaining !== undefined)
    await sendEmail({
      to: user.email,
      userId: user.id,
      ...emails.recoveryCodeUsed({ name: user.name, ip: request.ip, remaining }),
    });
  return { ok: true, ...(remaining !== undefined && { remaining }), ...(session && { session }) };
}

// What every passed second factor does, whichever way it came (this step, or a passkey
// sign-in in lib/sign-in/passwordless.ts): the failure count starts again, and the audit
// log says how, by the event returned for the caller to write with its transaction's own.
export async function factorPassed(
  tx: Tx,
  options: {
    user: Pick<User, "id" | "accountId" | "failedSecondFactorCount">;
    request: RequestInfo;
    type: AuditType;
    data: AuditData;
  },
): Promise<AuditInput> {
  const { user } = options;
  await resetSecondFactorFailures(tx, user);
  return {
    accountId: user.accountId,
    type: options.type,
    actorId: user.id,
    targetId: user.id,
    request: options.request,
    data: options.data,
  };
}
