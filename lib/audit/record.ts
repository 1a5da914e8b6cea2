import type { Db, Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { queueForStream } from "./outbox";

export const AuditType = {
  accountCreated: "account.created",
  signInSucceeded: "sign_in.succeeded",
  signInFailed: "sign_in.failed",
  signInRateLimited: "sign_in.rate_limited",
  signedOut: "session.signed_out",
  sessionRevoked: "session.revoked",
  otherSessionsRevoked: "session.others_revoked",
  passwordChanged: "password.changed",
  passwordResetRequested: "password.reset_requested",
  passwordReset: "password.reset",
  profileUpdated: "profile.updated",
  twoFactorEnabled: "two_factor.enabled",
  twoFactorDisabled: "two_factor.disabled",
  twoFactorMethodRemoved: "two_factor.method_removed",
  twoFactorVerified: "two_factor.verified",
  twoFactorLocked: "two_factor.locked",
  passkeyAdded: "passkey.added",
  passkeyRemoved: "passkey.removed",
  passkeyRenamed: "passkey.renamed",
  passkeySignIn: "sign_in.passkey",
  recoveryCodeUsed: "recovery_code.used",
  recoveryCodesRegenerated: "recovery_codes.regenerated",
  enforcementChanged: "enforcement.changed",
  sessionDurationChanged: "sessions.duration_changed",
  exemptionChanged: "exemption.changed",
  userRoleChanged: "user.role_changed",
  userUnlocked: "user.unlocked",
  twoFactorReset: "two_factor.reset",
  twoFactorPreferenceChanged: "two_factor.preference_changed",
  sessionsExpired: "sessions.expired",
  sessionsCleared: "sessions.cleared",
  userDisabled: "user.disabled",
  userEnabled: "user.enabled",
  userInvited: "user.invited",
  invitationAccepted: "invitation.accepted",
  invitationResent: "invitation.resent",
  invitationRevoked: "invitation.revoked",
  emailChangeRequested: "email.change_requested",
  emailChanged: "email.changed",
  tokenCreated: "token.created",
  tokenRevoked: "token.revoked",
  smsLimited: "sms.limited",
  signInCodeEmailLimited: "sign_in_code.email_limited",
  smsLimitChanged: "sms.limit_changed",
  smsCountriesChanged: "sms.countries_changed",
  browserTrustLinkSent: "sign_in.browser_link_sent",
  browserTrusted: "sign_in.browser_trusted",
  rememberedBrowserAdded: "remembered_browser.added",
  rememberedBrowserUsed: "remembered_browser.used",
  rememberedBrowserForgotten: "remembered_browser.forgotten",
  rememberBrowserChanged: "remember_browser.changed",
  auditStreamEnabled: "audit_stream.enabled",
  auditStreamUrlChanged: "audit_stream.url_changed",
  auditStreamSecretRotated: "audit_stream.secret_rotated",
  auditStreamDisabled: "audit_stream.disabled",
  auditStreamTested: "audit_stream.test_sent",
} as const;

export type AuditType = (typeof AuditType)[keyof typeof AuditType];

export type AuditInput = {
  accountId: string;
  type: AuditType;
  actorId?: string | null;
  targetId?: string | null;
  request?: RequestInfo;
  data?: AuditData;
};

// Flat details only, so the audit page can show them as key = value; never secrets.
export type AuditData = Record<string, string | number | boolean | null>;

// The details as audit() wrote them: the column is JSON, which Prisma types as any JSON.
export function auditData(event: { data: unknown }): AuditData | null {
  return (event.data ?? null) as AuditData | null;
}

// Takes the transaction client, so the event commits together with the change it records,
// and with its place in the account's audit stream, if it has one (lib/audit/outbox.ts).
// An event with no change of its own (a failed sign-in) is written with the client itself:
// then a transaction of its own keeps the event and its outbox row together.
// Several events of one account that commit together (a second step that also starts the
// session) are written by one statement.
export async function audit(tx: Tx, input: AuditInput | [AuditInput, ...AuditInput[]]) {
  const inputs = Array.isArray(input) ? input : [input];
  const client = tx as Db;
  if (typeof client.$transaction === "function") return client.$transaction((inner) => write(inner, inputs));
  return write(tx, inputs);
}

async function write(tx: Tx, inputs: AuditInput[]) {
  const { accountId } = inputs[0];
  if (inputs.some((input) => input.accountId !== accountId)) throw new Error("audit: events of one account at a time");
  const events = await tx.auditEvent.createManyAndReturn({
    data: inputs.map((input) => ({
      accountId,
      type: input.type,
      actorId: input.actorId ?? null,
      targetId: input.targetId ?? null,
      ip: input.request?.ip ?? null,
      userAgent: input.request?.userAgent ?? null,
      data: input.data,
    })),
    select: { id: true },
  });
  await queueForStream(
    tx,
    accountId,
    events.map((event) => event.id),
  );
}
