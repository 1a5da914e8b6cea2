import { canDisableTwoFactor, canRemoveMethod, type PolicyAccount } from "@/lib/account/policy";
import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { revokeOtherSessions } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { recordSecondFactorFailure, secondFactorLockState } from "@/lib/sign-in/lockout";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { forgetRememberedBrowsers } from "@/lib/sign-in/remembered-browser";
import { syncDefaultMethod } from "./enrolled";
import { methodFacts, methodLabels, methodsOf, type TwoFactorMethod } from "./kinds";
import { forgetAuthenticator, verifyTotpCode } from "./totp";

// Turning second factors off: one method of several (My Profile → Remove), all of them
// (Disable), and an admin's reset, which ends in removeSecondFactor too.

// A user the account requires 2FA of cannot turn it off.
export function mustHaveTwoFactor(user: Pick<User, "twoFactorExempt" | "role">, account: PolicyAccount): boolean {
  return !canDisableTwoFactor({ user, account });
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

// docs/security-model.md, "Turning two-factor authentication off": the password, and for an
// app a current code, which counts towards the same lockout as sign-in, so a stolen session
// cannot guess its way to switching 2FA off.
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
// session but `keepSessionId`, every half-finished sign-in and every remembered browser
// (with no second step left there is nothing to skip, and none may outlive a new one). Turning 2FA off and an
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
  await forgetRememberedBrowsers(tx, { userId });
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

// My Profile → Remove, for one method while others remain (docs/security-model.md, "Several
// methods at once"); the caller has checked sudo mode. The last method goes only through
// disableTwoFactor (docs/security-model.md, "Turning two-factor authentication off": the
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
