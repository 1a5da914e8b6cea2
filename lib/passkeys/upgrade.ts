import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { allowedMethods } from "@/lib/account/policy";
import { PASSKEY_UPGRADE_SNOOZE_MS } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { type MethodFacts, methodsOf } from "@/lib/factors/kinds";
import type { Account, Session, User } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/platform/db";
import { findSession } from "@/lib/sessions/sessions";
import { startPasskeyRegistration } from "./registration";

// The passkey upgrade (README "Passkeys"): someone who signs in with the password and a
// second factor and has no passkey is offered one, when the account allows passkeys and
// they have not answered "Not now" in the last 30 days. Where the browser can
// (conditional create), the passkey is made right after the sign-in without a dialog;
// otherwise, or when the browser declines, My Profile shows a card. Either way the
// passkey is added as in My Profile (lib/passkeys/add.ts): the account's allowed methods,
// sudo mode, the other sessions end, recovery codes when due, an audit event, an email.
//
// How the server knows the sign-in was just made that way: completeSignIn
// (lib/sign-in/password-step.ts), burning a browser's login challenge that was given the
// password and passed a second factor, writes `Session.passkeyUpgradeUntil`, a few minutes
// on. Nothing the client sends sets it. Asking for the silent passkey clears it in one
// conditional update, so each sign-in gets one try.

export type PasskeyUpgradeOffer = { show: false } | { show: true; conditional: boolean };

type OfferFacts = {
  user: Pick<User, "passkeyUpgradeSnoozedUntil"> & MethodFacts & { account: Pick<Account, "allowedMethods"> };
  session: Pick<Session, "passkeyUpgradeUntil">;
  now?: Date;
};

// Whether to offer a passkey, and whether the browser may be asked to make one without a
// dialog. Someone without a second factor is not offered one here: their two-factor card
// already invites them to set up a method.
export function passkeyUpgradeOffer({ user, session, now = new Date() }: OfferFacts): PasskeyUpgradeOffer {
  const methods = methodsOf(user);
  if (methods.length === 0 || methods.includes("passkey")) return { show: false };
  if (!allowedMethods(user.account).includes("passkey")) return { show: false };
  if (user.passkeyUpgradeSnoozedUntil && user.passkeyUpgradeSnoozedUntil > now) return { show: false };
  return { show: true, conditional: !!session.passkeyUpgradeUntil && session.passkeyUpgradeUntil > now };
}

// The registration options for conditional create, once per sign-in: refused unless this
// session was made moments ago with the password and a second factor and the offer stands.
export async function startPasskeyUpgrade(options: {
  userId: string;
  sessionId: string;
  now?: Date;
}): Promise<
  | { ok: true; options: PublicKeyCredentialCreationOptionsJSON }
  | { ok: false; error: typeof ErrorCode.invalidOrExpired }
> {
  const { userId, sessionId } = options;
  const now = options.now ?? new Date();
  const session = await findSession({ id: sessionId });
  if (!session || session.userId !== userId) return { ok: false, error: ErrorCode.invalidOrExpired };
  const offer = passkeyUpgradeOffer({ user: session.user, session, now });
  if (!offer.show || !offer.conditional) return { ok: false, error: ErrorCode.invalidOrExpired };
  // Of two tabs, or a request sent again, one gets the challenge.
  const { count } = await db.session.updateMany({
    where: { id: sessionId, userId, passkeyUpgradeUntil: { gt: now } },
    data: { passkeyUpgradeUntil: null },
  });
  if (count !== 1) return { ok: false, error: ErrorCode.invalidOrExpired };
  return { ok: true, options: await startPasskeyRegistration({ userId, sessionId, conditional: true, now }) };
}

// "Not now": the user's own answer, for all their browsers. It changes nothing about the
// account's security, so it is not audited.
export async function snoozePasskeyUpgrade(options: { userId: string; now?: Date }) {
  const now = options.now ?? new Date();
  await db.user.update({
    where: { id: options.userId },
    data: { passkeyUpgradeSnoozedUntil: new Date(now.getTime() + PASSKEY_UPGRADE_SNOOZE_MS) },
  });
}
