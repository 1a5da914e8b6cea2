import { db, type Tx } from "./db";
import type { RequestInfo } from "./request-info";
import { type Actor, fail, loadAdmin } from "./roles";

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
  browserTrustLinkSent: "sign_in.browser_link_sent",
  browserTrusted: "sign_in.browser_trusted",
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

// Takes the transaction client, so the event commits together with the change it records.
export async function audit(tx: Tx, input: AuditInput) {
  await tx.auditEvent.create({
    data: {
      accountId: input.accountId,
      type: input.type,
      actorId: input.actorId ?? null,
      targetId: input.targetId ?? null,
      ip: input.request?.ip ?? null,
      userAgent: input.request?.userAgent ?? null,
      data: input.data,
    },
  });
}

// SPEC §11 audit log: newest first, filtered by a user (as actor or target) and a type,
// never reaching past the actor's account. A page at a time: the events after the event
// `before` (keyset paging on the (accountId, createdAt) index, no counting), and `next`,
// the cursor of the following page or null.
export async function listAuditEvents(options: {
  actor: Actor;
  userId?: string;
  type?: string;
  before?: string;
  pageSize: number;
}) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail("forbidden");
  const pageSize = Math.min(100, Math.max(1, Math.floor(options.pageSize) || 25));
  const where = {
    accountId: admin.accountId,
    ...(options.userId ? { OR: [{ actorId: options.userId }, { targetId: options.userId }] } : {}),
    ...(options.type ? { type: options.type } : {}),
  };
  // A cursor from another account positions nothing here: it reads as an empty page.
  if (options.before && !(await db.auditEvent.count({ where: { id: options.before, accountId: admin.accountId } })))
    return { ok: true as const, events: [], next: null, pageSize };
  const person = { select: { id: true, name: true, email: true } };
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
    ...(options.before ? { cursor: { id: options.before }, skip: 1 } : {}),
    include: { actor: person, target: person },
  });
  const events = rows.slice(0, pageSize).map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.createdAt,
    ip: row.ip,
    userAgent: row.userAgent,
    data: auditData(row),
    actor: row.actor,
    target: row.target,
  }));
  const next = rows.length > pageSize ? events[events.length - 1].id : null;
  return { ok: true as const, events, next, pageSize };
}
