import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { verifyPasskeyAssertion } from "@/lib/passkeys/assertion";
import { db } from "@/lib/platform/db";
import { observeSignIn } from "@/lib/platform/observe";
import { ipLimitKey, recordFailure, retryAfterMs } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { recordSecondFactorFailure, secondFactorLockState } from "./lockout";
import { createLoginChallenge, markFactorVerified } from "./login-challenge";
import { factorPassed } from "./second-step";

export type PasskeySignInResult =
  | { ok: true; challengeToken: string }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number }
  | {
      ok: false;
      error:
        | typeof ErrorCode.passkeyRejected
        | typeof ErrorCode.passkeyUnknown
        | typeof ErrorCode.userVerificationRequired;
    }
  | { ok: false; error: typeof ErrorCode.accountDisabled }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date };

// "Sign in with a passkey" (docs/security-model.md, "Passkeys and security keys"): a
// passkey that verified the person (PIN, fingerprint, face) is both factors. It makes a
// login challenge that has passed its factor, so the session, lockout, audit and
// enforcement are those of every other sign-in (completeSignIn). A passkey without user
// verification proves only possession: it can be the second step after the password, never
// the whole sign-in.
export async function passkeySignIn(options: {
  browserToken: string;
  response: unknown;
  request: RequestInfo;
  now?: Date;
}): Promise<PasskeySignInResult> {
  const { request } = options;
  const now = options.now ?? new Date();
  // Failures count against the address like wrong passwords (docs/security-model.md,
  // "Limits and locks"), and against the passkey's owner when the credential is known, like
  // wrong codes.
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
    // Counted with the second step's failures: it counts towards the owner's lock as they do.
    observeSignIn("second_step_failed", "passkey", assertion.userId);
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
    return {
      ok: false,
      error: assertion.error === ErrorCode.passkeyUnknown ? assertion.error : ErrorCode.passkeyRejected,
    };
  }
  const user = await db.user.findUniqueOrThrow({ where: { id: assertion.userId } });
  if (user.disabledAt) return { ok: false, error: ErrorCode.accountDisabled };
  const lock = secondFactorLockState(user, now);
  if (lock.locked) {
    observeSignIn("locked", "passkey", user.id);
    return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until };
  }
  if (!assertion.userVerified) return { ok: false, error: ErrorCode.userVerificationRequired };

  return db.$transaction(async (tx) => {
    const { token, challenge } = await createLoginChallenge(tx, {
      userId: user.id,
      pendingFactor: "passkey",
      request,
      now,
    });
    await markFactorVerified(tx, challenge.id, now);
    const passed = await factorPassed(tx, {
      user,
      request,
      type: AuditType.passkeySignIn,
      data: { method: "passkey", passkeyId: assertion.passkeyId, name: assertion.passkeyName },
    });
    await audit(tx, passed);
    return { ok: true as const, challengeToken: token };
  });
}
