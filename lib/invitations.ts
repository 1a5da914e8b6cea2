import { AuditType, audit } from "./audit";
import { INVITATION_TTL_MS } from "./config";
import { hashToken, randomToken } from "./crypto";
import { db } from "./db";
import * as emails from "./emails";
import { ErrorCode } from "./errors";
import { sendEmail } from "./mail";
import { checkPasswordPolicy, hashPassword } from "./password";
import type { RequestInfo } from "./request-info";
import { type Actor, asAdmin, auditAdmin, fail } from "./roles";
import { normalizeEmail } from "./sign-in";

// Invitations (SPEC §7): an admin adds a user by email; the link sets their password.

// Creates the user without a password (they cannot sign in until they accept) and a
// single-use invitation. Only the token's hash is stored; the token is in the email.
// Emails are unique across the installation, so "email_taken" also answers for an
// address in another account: sign-in by email requires it.
export async function inviteUser(options: {
  actor: Actor;
  email: string;
  name: string;
  role: "ADMIN" | "MEMBER";
  request: RequestInfo;
}) {
  const email = normalizeEmail(options.email);
  const name = options.name.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254 || !name || name.length > 100)
    return fail(ErrorCode.invalidInput);
  if (options.role !== "ADMIN" && options.role !== "MEMBER") return fail(ErrorCode.invalidInput);
  const token = randomToken(32);
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return fail(ErrorCode.emailTaken);
    const user = await tx.user.create({ data: { accountId: admin.accountId, email, name, role: options.role } });
    const invitation = await tx.invitation.create({
      data: {
        accountId: admin.accountId,
        userId: user.id,
        tokenHash: hashToken(token),
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
    });
    await auditAdmin(tx, admin, {
      type: AuditType.userInvited,
      targetId: user.id,
      request: options.request,
      data: { role: options.role },
    });
    return { ok: true as const, user, invitation, admin };
  }).catch((error: unknown) => {
    // Two invitations for the same address raced past the check: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return fail(ErrorCode.emailTaken);
    throw error;
  });
  if (!result.ok) return result;
  const { user, invitation, admin } = result;
  const sent = await sendEmail({
    to: user.email,
    userId: user.id,
    ...emails.invitation({
      name: user.name,
      inviterName: admin.name,
      accountName: admin.account.name,
      token,
      expiresAt: invitation.expiresAt,
    }),
  });
  return { ok: true as const, userId: user.id, emailed: sent.ok };
}

async function liveInvitation(token: string, now: Date) {
  if (!token || token.length > 128) return null;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { account: true },
  });
  if (!invitation || invitation.usedAt || invitation.expiresAt <= now) return null;
  const user = await db.user.findFirst({
    where: { id: invitation.userId, accountId: invitation.accountId, disabledAt: null },
  });
  return user ? { invitation, user } : null;
}

// For the /invite/[token] page: only valid, unused invitations.
export async function findInvitation(token: string) {
  const live = await liveInvitation(token, new Date());
  if (!live) return null;
  return {
    email: live.user.email,
    name: live.user.name,
    accountName: live.invitation.account.name,
    expiresAt: live.invitation.expiresAt,
  };
}

// Single use is decided by one conditional update: of several simultaneous acceptances
// exactly one finds usedAt still null and sets the password.
export async function acceptInvitation(options: { token: string; password: string; request: RequestInfo }) {
  const now = new Date();
  const live = await liveInvitation(options.token, now);
  if (!live) return fail(ErrorCode.invalidOrExpired);
  const problem = checkPasswordPolicy(options.password, { email: live.user.email });
  if (problem) return { ok: false as const, error: ErrorCode.weakPassword, problem };
  const passwordHash = await hashPassword(options.password);
  const userId = await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: live.invitation.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    await tx.user.update({ where: { id: live.user.id }, data: { passwordHash, passwordChangedAt: now } });
    await audit(tx, {
      accountId: live.invitation.accountId,
      type: AuditType.invitationAccepted,
      actorId: live.user.id,
      targetId: live.user.id,
      request: options.request,
    });
    return live.user.id;
  });
  return userId ? { ok: true as const, userId } : fail(ErrorCode.invalidOrExpired);
}
