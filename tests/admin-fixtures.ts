// Shared by the tests of the admin layer (roles, account settings, users, invitations,
// the audit log).

import type { TwoFactorMethod } from "@/lib/factors/kinds";
import { changeEmailAsAdmin } from "@/lib/people/email-change";
import { resendInvitation, revokeInvitation } from "@/lib/people/invitations";
import {
  changeRole,
  expireSessions,
  resetTwoFactor,
  setDisabled,
  setExemption,
  setTwoFactorPreference,
  unlockUser,
} from "@/lib/people/user-admin";
import { getUserForAdmin } from "@/lib/people/users-list";
import { db } from "@/lib/platform/db";
import { createUser, request, uniqueEmail } from "./factories";

export const DAY = 24 * 60 * 60_000;
export const STRONG_PASSWORD = "a long and unusual passphrase";

// An account with an owner, an admin and a member; nobody has 2FA yet.
export async function org() {
  const owner = await createUser({ role: "OWNER" });
  const admin = await createUser({ role: "ADMIN", accountId: owner.accountId });
  const member = await createUser({ role: "MEMBER", accountId: owner.accountId });
  return { owner, admin, member, accountId: owner.accountId };
}

// Gives the user a method as the rows of a real one would (the app's credential, a
// passkey, the date of SMS or email codes); the secrets are placeholders, for tests that
// never sign in with them.
export async function withTwoFactor(userId: string, method: TwoFactorMethod = "totp") {
  const now = new Date();
  if (method === "totp") await db.totpCredential.create({ data: { userId, encryptedSecret: "v1:x:y:z:w" } });
  if (method === "passkey")
    await db.webAuthnCredential.create({
      data: {
        userId,
        credentialId: `cred-${userId}-${now.getTime()}`,
        publicKey: "x",
        name: "Key",
        deviceType: "singleDevice",
      },
    });
  return db.user.update({
    where: { id: userId },
    data: {
      ...(method === "sms" ? { smsEnabledAt: now, phone: "+447700900111" } : {}),
      ...(method === "email" ? { emailCodesEnabledAt: now } : {}),
      twoFactorMethod: method,
      twoFactorEnabledAt: now,
    },
  });
}

export function eventsOf(accountId: string, type: string) {
  return db.auditEvent.findMany({ where: { accountId, type } });
}

export function emailsTo(userId: string) {
  return db.outboundMessage.findMany({ where: { userId, channel: "email" }, orderBy: { createdAt: "asc" } });
}

export function tokenFromInvitation(body: string) {
  const match = body.match(/\/invite\/([A-Za-z0-9_-]+)/);
  if (!match) throw new Error("no invitation link in the email");
  return match[1];
}

// Every action that names a target user, with harmless arguments.
export const targeted = {
  setExemption: (actor: Actor, userId: string) => setExemption({ actor, userId, exempt: true, request }),
  changeRole: (actor: Actor, userId: string) => changeRole({ actor, userId, role: "ADMIN", request }),
  unlockUser: (actor: Actor, userId: string) => unlockUser({ actor, userId, request }),
  resetTwoFactor: (actor: Actor, userId: string) => resetTwoFactor({ actor, userId, request }),
  expireSessions: (actor: Actor, userId: string) => expireSessions({ actor, userId, request }),
  setDisabled: (actor: Actor, userId: string) => setDisabled({ actor, userId, disabled: true, request }),
  setTwoFactorPreference: (actor: Actor, userId: string) =>
    setTwoFactorPreference({ actor, userId, method: "email", request }),
  getUserForAdmin: (actor: Actor, userId: string) => getUserForAdmin({ actor, userId }),
  resendInvitation: (actor: Actor, userId: string) => resendInvitation({ actor, userId, request }),
  revokeInvitation: (actor: Actor, userId: string) => revokeInvitation({ actor, userId, request }),
  changeEmailAsAdmin: (actor: Actor, userId: string) =>
    changeEmailAsAdmin({ actor, userId, email: uniqueEmail(), request }),
};
export type Actor = { id: string; accountId: string };
