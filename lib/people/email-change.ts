import { AuditType, audit } from "@/lib/audit/record";
import { EMAIL_CHANGE_TTL_MS, EMAIL_CHANGES_PER_USER_PER_HOUR } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { hashToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import { takeHourlyQuotas } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { issueEmailedLink } from "@/lib/sign-in/emailed-link";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { expireResetLinks } from "@/lib/sign-in/password-reset";
import { normalizeEmail } from "@/lib/sign-in/password-step";
import { isEmailAddress, revokeLiveInvitations } from "./invitations";
import { type Actor, asAdmin, auditAdmin, fail } from "./roles";

// Changing the address an account signs in with and receives its mail at. A user changes
// their own (in sudo mode, checked by the action) through a link sent to the new
// address: single use, valid one hour, only its hash stored; the old address is told once
// it is done. An admin changes a member's directly, audited, and both addresses are told.
//
// Secrets sent to the old address die with it: unused password-reset and browser links,
// a pending email change, an unused invitation, half-finished sign-ins (an email code may
// be on its way there) and an email-codes setup in progress. Sessions, personal access
// tokens and recovery codes stay: the person is the same, only the mailbox moved.

type EmailError = typeof ErrorCode.invalidInput | typeof ErrorCode.sameEmail | typeof ErrorCode.emailTaken;

// The new address, normalised as sign-in does, or why it cannot be used.
async function checkNewAddress(
  tx: Tx,
  user: Pick<User, "id" | "email">,
  input: string,
): Promise<{ ok: true; email: string } | { ok: false; error: EmailError }> {
  const email = normalizeEmail(input);
  if (!isEmailAddress(email)) return { ok: false, error: ErrorCode.invalidInput };
  if (email === user.email) return { ok: false, error: ErrorCode.sameEmail };
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (holder) return { ok: false, error: ErrorCode.emailTaken };
  return { ok: true, email };
}

async function endSecretsOfOldAddress(tx: Tx, userId: string, now: Date) {
  await expireResetLinks(tx, userId, now);
  await tx.browserTrustLink.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  await tx.emailChange.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  await revokeLiveInvitations(tx, userId, now);
  await discardPendingChallenges(tx, userId, now);
  await tx.deliveredCodeSetup.deleteMany({ where: { userId, method: "email" } });
}

// The unique index on User.email has the last word: of two people taking one address at
// once, the second update fails, and its whole transaction with it.
function isTakenRace(error: unknown) {
  return (error as { code?: string }).code === "P2002";
}

// My Profile → Change email: emails a confirmation link to the new address. A new
// request replaces a pending one (its link stops working).
export async function requestEmailChange(options: {
  userId: string;
  newEmail: string;
  request: RequestInfo;
  now?: Date;
}): Promise<
  | { ok: true; newEmail: string; expiresAt: Date }
  | { ok: false; error: EmailError }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number }
> {
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId } });
  const typed = normalizeEmail(options.newEmail);
  if (!isEmailAddress(typed)) return { ok: false, error: ErrorCode.invalidInput };
  if (typed === user.email) return { ok: false, error: ErrorCode.sameEmail };
  // Each request mails an address the user chose, and "taken" tells whether an address
  // has an account: capped before either, so the form can neither flood a stranger's
  // inbox nor list who has an account.
  const quota = await takeHourlyQuotas(
    [{ key: `email-change:user:${user.id}`, limit: EMAIL_CHANGES_PER_USER_PER_HOUR }],
    now,
  );
  if (!quota.ok) return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds: quota.retryAfterSeconds };
  const checked = await checkNewAddress(db, user, typed);
  if (!checked.ok) return checked;
  const issued = await issueEmailedLink({
    email: user.email,
    ttlMs: EMAIL_CHANGE_TTL_MS,
    auditType: AuditType.emailChangeRequested,
    auditData: { to: checked.email },
    bySignedInUser: true,
    request: options.request,
    now,
    create: async (tx, row) => {
      await tx.emailChange.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
      await tx.emailChange.create({ data: { ...row, newEmail: checked.email } });
    },
  });
  if (!issued) return { ok: false, error: ErrorCode.invalidInput };
  await sendEmail({
    to: checked.email,
    userId: user.id,
    ...emails.confirmEmailChange({
      name: user.name,
      oldEmail: user.email,
      newEmail: checked.email,
      token: issued.token,
    }),
  });
  return { ok: true, newEmail: checked.email, expiresAt: new Date(now.getTime() + EMAIL_CHANGE_TTL_MS) };
}

// The change waiting for its link, for My Profile.
export async function pendingEmailChange(userId: string, now = new Date()) {
  return db.emailChange.findFirst({
    where: { userId, usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { newEmail: true, expiresAt: true },
  });
}

async function liveEmailChange(token: string, now: Date) {
  if (!token || token.length > 128) return null;
  const change = await db.emailChange.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!change || change.usedAt || change.expiresAt <= now || change.user.disabledAt) return null;
  return change;
}

// For the confirmation page: what the link would change, or null when it no longer works.
export async function findEmailChange(token: string, now = new Date()) {
  const change = await liveEmailChange(token, now);
  return change ? { oldEmail: change.user.email, newEmail: change.newEmail } : null;
}

// Opening the link and confirming: one conditional update burns it (of two clicks
// exactly one wins), and the address is checked again, since someone may have taken it
// since the request.
export async function confirmEmailChange(options: {
  token: string;
  request: RequestInfo;
  now?: Date;
}): Promise<{ ok: true; newEmail: string } | { ok: false; error: typeof ErrorCode.invalidOrExpired | EmailError }> {
  const now = options.now ?? new Date();
  const change = await liveEmailChange(options.token, now);
  if (!change) return { ok: false, error: ErrorCode.invalidOrExpired };
  const { user } = change;
  const result = await db
    .$transaction(async (tx) => {
      const { count } = await tx.emailChange.updateMany({
        where: { id: change.id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count !== 1) return { ok: false as const, error: ErrorCode.invalidOrExpired };
      const checked = await checkNewAddress(tx, user, change.newEmail);
      if (!checked.ok) return checked;
      await tx.user.update({ where: { id: user.id }, data: { email: checked.email } });
      await endSecretsOfOldAddress(tx, user.id, now);
      await audit(tx, {
        accountId: user.accountId,
        type: AuditType.emailChanged,
        actorId: user.id,
        targetId: user.id,
        request: options.request,
        data: { from: user.email, to: checked.email },
      });
      return { ok: true as const, newEmail: checked.email };
    })
    .catch((error: unknown) => {
      if (isTakenRace(error)) return { ok: false as const, error: ErrorCode.emailTaken };
      throw error;
    });
  if (!result.ok) return result;
  await sendEmail({
    to: user.email,
    userId: user.id,
    ...emails.emailChanged({
      name: user.name,
      oldEmail: user.email,
      newEmail: result.newEmail,
      at: now,
      ip: options.request.ip,
      admin: null,
      to: "old",
    }),
  });
  return result;
}

// An admin changes a member's address (the rules of every admin edit:
// docs/security-model.md, "Administration and tenancy"): only in the admin's account; the
// owner's only by the owner, and one's own only through My Profile, where the new address
// must prove itself. Audited with both addresses; someone who has joined is told at both,
// someone still invited needs a new invitation.
export async function changeEmailAsAdmin(options: {
  actor: Actor;
  userId: string;
  email: string;
  request: RequestInfo;
}) {
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const target = await tx.user.findFirst({ where: { id: options.userId, accountId: admin.accountId } });
    if (!target) return fail(ErrorCode.notFound);
    if (target.id === admin.id) return fail(ErrorCode.self);
    if (target.role === "OWNER") return fail(ErrorCode.owner);
    const checked = await checkNewAddress(tx, target, options.email);
    if (!checked.ok) return checked;
    await tx.user.update({ where: { id: target.id }, data: { email: checked.email } });
    const invitationsRevoked = await revokeLiveInvitations(tx, target.id, now);
    await endSecretsOfOldAddress(tx, target.id, now);
    await auditAdmin(tx, admin, {
      type: AuditType.emailChanged,
      targetId: target.id,
      request: options.request,
      data: { from: target.email, to: checked.email, invitationsRevoked },
    });
    return { ok: true as const, target, newEmail: checked.email, accountName: admin.account.name, invitationsRevoked };
  }).catch((error: unknown) => {
    if (isTakenRace(error)) return fail(ErrorCode.emailTaken);
    throw error;
  });
  if (!result.ok) return result;
  const { target, newEmail, accountName } = result;
  if (target.passwordHash) {
    const notice = { name: target.name, oldEmail: target.email, newEmail, at: now, ip: options.request.ip };
    await sendEmail({
      to: target.email,
      userId: target.id,
      ...emails.emailChanged({ ...notice, admin: accountName, to: "old" }),
    });
    await sendEmail({
      to: newEmail,
      userId: target.id,
      ...emails.emailChanged({ ...notice, admin: accountName, to: "new" }),
    });
  }
  return {
    ok: true as const,
    newEmail,
    invitationRevoked: result.invitationsRevoked > 0,
    notified: !!target.passwordHash,
  };
}
