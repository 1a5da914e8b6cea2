import { ErrorCode } from "@/lib/errors";
import { methodFacts, methodsOf, type TwoFactorMethod } from "@/lib/factors/kinds";
import { normalizeOtp, verifyTotpCode } from "@/lib/factors/totp";
import type { CodeError } from "@/lib/factors/verifier";
import type { User } from "@/lib/generated/sqlite/client";
import { verifyPasskeyAssertion } from "@/lib/passkeys/assertion";
import { db, type Tx } from "@/lib/platform/db";
import { passwordLimitKeys, recordFailure, retryAfterMs } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import {
  type LockState,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
  secondFactorLockState,
} from "@/lib/sign-in/lockout";
import { verifyPassword } from "@/lib/sign-in/password";
import { markSudo } from "./sessions";

// "Sudo mode" (docs/security-model.md, "Sessions and sudo mode"): proving again, in this
// session, that it is the person unlocks sensitive actions for 15 minutes. Any strong way
// they have will do, as on GitHub: a passkey that verifies them, a code from their
// authenticator app, or the password. Each is limited as at sign-in, so a stolen session
// cannot be used to guess: wrong passwords count towards the sign-in form's per-email and
// per-IP limits, wrong app codes and failed passkeys towards the second step's lock
// (lib/sign-in/lockout.ts), which refuses both while it stands.

// Strongest first, the order the page offers them in. Texted and emailed codes are not
// among them: they prove less than the password they would stand in for.
export type SudoWay = Extract<TwoFactorMethod, "passkey" | "totp"> | "password";
const STRONG_FACTORS = ["passkey", "totp"] as const;

// The ways this user can confirm it is them, and the second step's lock. A user without a
// password is never offered one.
export async function readSudoWays(options: { userId: string; now?: Date }): Promise<{
  ways: SudoWay[];
  lock: LockState;
}> {
  const { ways, lock } = await sudoFacts(options.userId, options.now);
  return { ways, lock };
}

async function sudoFacts(userId: string, now?: Date) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: methodFacts });
  const methods = methodsOf(user);
  const ways: SudoWay[] = STRONG_FACTORS.filter((factor) => methods.includes(factor));
  if (user.passwordHash) ways.push("password");
  return { user, ways, lock: secondFactorLockState(user, now) };
}

export async function confirmPassword(options: {
  userId: string;
  sessionId: string;
  password: string;
  request: RequestInfo;
}) {
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId } });
  const keys = passwordLimitKeys(user.email, options.request.ip);
  const wait = await retryAfterMs(keys);
  if (wait > 0) return { ok: false as const, error: ErrorCode.rateLimited, retryAfterSeconds: Math.ceil(wait / 1000) };
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, options.password))) {
    await Promise.all(keys.map((key) => recordFailure(key)));
    return { ok: false as const, error: ErrorCode.wrongPassword };
  }
  await markSudo(options.sessionId);
  return { ok: true as const };
}

// A refusal says what is left before the lock, and where the answer came from, as the
// second step does (SecondFactorResult).
export type SudoFactorResult =
  | { ok: true }
  | { ok: false; error: typeof ErrorCode.notEnabled }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date; emailed: boolean }
  | {
      ok: false;
      error: CodeError | typeof ErrorCode.userVerificationRequired;
      attemptsLeft: number;
      source: "app" | "passkey";
    };

type FactorAttempt = { userId: string; sessionId: string; request: RequestInfo; now?: Date };
type Counted = Pick<User, "id" | "failedSecondFactorCount">;

// Before the answer is looked at, so that a locked account tells a guesser nothing.
async function refusedBeforeAnswer(
  userId: string,
  way: SudoWay,
  now: Date,
): Promise<{ refusal: SudoFactorResult } | { user: Counted }> {
  const { user, ways, lock } = await sudoFacts(userId, now);
  if (!ways.includes(way)) return { refusal: { ok: false, error: ErrorCode.notEnabled } };
  if (lock.locked)
    return { refusal: { ok: false, error: ErrorCode.locked, lockedUntil: lock.until, emailed: lock.emailed } };
  return { user };
}

// Counted like a wrong code at the second step; a replayed code too, or replaying would
// be free guessing.
async function refused(
  attempt: FactorAttempt & { now: Date },
  error: CodeError | typeof ErrorCode.userVerificationRequired,
  source: "app" | "passkey",
): Promise<SudoFactorResult> {
  const outcome = await recordSecondFactorFailure({
    userId: attempt.userId,
    request: attempt.request,
    now: attempt.now,
  });
  if (outcome.locked)
    return { ok: false, error: ErrorCode.locked, lockedUntil: outcome.until, emailed: outcome.emailed };
  return { ok: false, error, attemptsLeft: outcome.attemptsLeft, source };
}

// A right answer starts the count again, as at sign-in. Scoped by user, so a session id
// that is not theirs opens nothing.
async function opened(tx: Tx, attempt: FactorAttempt & { now: Date }, user: Counted) {
  await resetSecondFactorFailures(tx, user);
  await tx.session.updateMany({
    where: { id: attempt.sessionId, userId: attempt.userId },
    data: { sudoAt: attempt.now },
  });
}

// A code from the authenticator app. Its time step is used up by the same conditional
// update as at sign-in (verifyTotpCode), so a code that signed in cannot open sudo mode,
// nor the other way round.
export async function confirmAppCode(options: FactorAttempt & { code: string }): Promise<SudoFactorResult> {
  const attempt = { ...options, now: options.now ?? new Date() };
  const ready = await refusedBeforeAnswer(attempt.userId, "totp", attempt.now);
  if ("refusal" in ready) return ready.refusal;
  const code = normalizeOtp(options.code);
  if (!code) return refused(attempt, ErrorCode.invalidFormat, "app");
  const checked = await db.$transaction(async (tx) => {
    const result = await verifyTotpCode(tx, { userId: attempt.userId, code, now: attempt.now });
    if (result.ok) await opened(tx, attempt, ready.user);
    return result;
  });
  return checked.ok ? checked : refused(attempt, checked.error, "app");
}

// A passkey's answer to the request startPasskeySudo made for this session. It must have
// verified the person: a key that only proves it is present is a second factor, never a
// stand-in for the password.
export async function confirmPasskey(options: FactorAttempt & { response: unknown }): Promise<SudoFactorResult> {
  const attempt = { ...options, now: options.now ?? new Date() };
  const ready = await refusedBeforeAnswer(attempt.userId, "passkey", attempt.now);
  if ("refusal" in ready) return ready.refusal;
  const assertion = await verifyPasskeyAssertion({
    purpose: "sudo",
    userId: attempt.userId,
    sessionId: attempt.sessionId,
    response: options.response,
    now: attempt.now,
  });
  if (!assertion.ok) return refused(attempt, ErrorCode.passkeyRejected, "passkey");
  if (!assertion.userVerified) return refused(attempt, ErrorCode.userVerificationRequired, "passkey");
  await db.$transaction((tx) => opened(tx, attempt, ready.user));
  return { ok: true };
}
