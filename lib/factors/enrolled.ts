import type { Tx } from "@/lib/platform/db";
import { revokeOtherSessions } from "@/lib/sessions/sessions";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { forgetRememberedBrowsers } from "@/lib/sign-in/remembered-browser";
import { methodFacts, methodsOf, type TwoFactorMethod } from "./kinds";
import { replaceRecoveryCodes } from "./recovery-codes";

// Which second factors a user has, and the bookkeeping when one is added
// (docs/security-model.md, "Several methods at once"). Taking one away is
// lib/factors/removal.ts's, as it reaches into each method's own storage.

// The methods the user has now, read in the caller's transaction, strongest first.
export async function readMethods(tx: Tx, userId: string): Promise<TwoFactorMethod[]> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: methodFacts });
  return methodsOf(user);
}

// The method sign-in opens with is the strongest the user has (docs/security-model.md,
// "Several methods at once"); "Try another way" offers the rest. Kept on the row so that
// "has 2FA" is one indexed column. The last method gone (an admin choosing no SMS or email
// codes for someone with nothing else), the user's remembered browsers go too: none may
// skip a second step added later.
export async function syncDefaultMethod(tx: Tx, userId: string, now: Date) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: methodFacts });
  const [strongest] = methodsOf(user);
  const { twoFactorEnabledAt } = user;
  await tx.user.update({
    where: { id: userId },
    data: { twoFactorMethod: strongest ?? null, twoFactorEnabledAt: strongest ? (twoFactorEnabledAt ?? now) : null },
  });
  if (!strongest) await forgetRememberedBrowsers(tx, { userId });
}

// A confirmed method joins the user's others, in the caller's transaction, after the
// caller has written it (the app's credential, a passkey, the phone number). Every other
// session and API sign-in token ends, and so does every half-finished sign-in: they were
// made without this factor, perhaps by whoever made the user want it. `keepSessionId` is
// the browser confirming. Personal access tokens stay (README "Which secrets die when").
// `first` tells the caller the user had no second factor before.
//
// Every way of adding a method passes here, so that all follow one rule on recovery
// codes: a user's first method comes with a set, and a method added when the user has
// none left brings a fresh one; otherwise the user keeps theirs. `renewRecoveryCodes`
// replaces a set still in use (an app bound anew). `recoveryCodes` is the new set, to be
// shown once, or null.
export async function addSecondFactor(
  tx: Tx,
  options: { userId: string; method: TwoFactorMethod; keepSessionId?: string; now: Date; renewRecoveryCodes?: boolean },
): Promise<{ first: boolean; sessionsEnded: number; recoveryCodes: string[] | null }> {
  const { userId, method, now } = options;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (method === "sms")
    await tx.user.update({ where: { id: userId }, data: { smsEnabledAt: user.smsEnabledAt ?? now } });
  if (method === "email")
    await tx.user.update({ where: { id: userId }, data: { emailCodesEnabledAt: user.emailCodesEnabledAt ?? now } });
  await syncDefaultMethod(tx, userId, now);
  const sessionsEnded = await revokeOtherSessions(tx, {
    userId,
    keepSessionId: options.keepSessionId,
    reason: "two_factor_changed",
  });
  await discardPendingChallenges(tx, userId, now);
  const first = user.twoFactorMethod === null;
  const keep =
    !first && !options.renewRecoveryCodes && (await tx.recoveryCode.count({ where: { userId, usedAt: null } })) > 0;
  return { first, sessionsEnded, recoveryCodes: keep ? null : await replaceRecoveryCodes(tx, { userId }) };
}
