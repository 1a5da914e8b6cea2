import { allowedMethods, passkeyRequired } from "@/lib/account/policy";
import { AuditType, audit } from "@/lib/audit/record";
import { INVITATION_TTL_MS } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import type { InvitationTwoFactor } from "@/lib/messages/emails";
import * as emails from "@/lib/messages/emails";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { checkPasswordPolicy, hashPassword } from "@/lib/sign-in/password";
import { normalizeEmail } from "@/lib/sign-in/password-step";
import { type Actor, type Admin, asAdmin, auditAdmin, fail } from "./roles";

// Invitations (docs/security-model.md, "Account-wide requirements"): an admin adds a user
// by email; the link sets their password. A user without a password is someone invited who
// has not joined yet. Their newest invitation says where they stand: pending until it
// expires, expired, or revoked. An admin may send a new link (the old one dies) or revoke
// it (the person cannot join until sent a new one); both are audited.

export type InvitationState = { status: "pending" | "expired" | "revoked"; expiresAt: Date; sentAt: Date };

// A new single-use invitation; only the token's hash is stored, the token is for the email.
async function issueInvitation(tx: Tx, options: { accountId: string; userId: string; now: Date }) {
  const token = randomToken(32);
  const invitation = await tx.invitation.create({
    data: {
      accountId: options.accountId,
      userId: options.userId,
      tokenHash: hashToken(token),
      createdAt: options.now,
      expiresAt: new Date(options.now.getTime() + INVITATION_TTL_MS),
    },
  });
  return { token, invitation };
}

// Kills every invitation of the user still usable: on a new link, on revoking, and when
// an admin changes the address the old link was sent to.
export async function revokeLiveInvitations(tx: Tx, userId: string, now = new Date()) {
  const { count } = await tx.invitation.updateMany({
    where: { userId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return count;
}

function emailInvitation(options: {
  user: User;
  admin: Admin;
  token: string;
  expiresAt: Date;
}): Promise<{ ok: boolean }> {
  const { user, admin, token, expiresAt } = options;
  return sendEmail({
    to: user.email,
    userId: user.id,
    ...emails.invitation({
      name: user.name,
      inviterName: admin.name,
      accountName: admin.account.name,
      token,
      expiresAt,
      twoFactor: invitationTwoFactor(admin.account, user),
    }),
  });
}

// What the invitation says about the account's two-factor rule for this person: the days
// they have, counted from the day they join (lib/account/policy.ts), and the methods the
// account allows, or only passkeys when it requires one of them. Null when nothing is required.
function invitationTwoFactor(account: Account, user: Pick<User, "role">): InvitationTwoFactor | null {
  const passkey = passkeyRequired({ user, account });
  if (!account.enforceTwoFactor && !passkey) return null;
  return { graceDays: account.enforceGraceDays, methods: passkey ? ["passkey"] : allowedMethods(account), passkey };
}

// Creates the user without a password (they cannot sign in until they accept) and a
// single-use invitation. Emails are unique across the installation, so "email_taken"
// also answers for an address in another account: sign-in by email requires it.
export async function inviteUser(options: {
  actor: Actor;
  email: string;
  name: string;
  role: "ADMIN" | "MEMBER";
  request: RequestInfo;
}) {
  const email = normalizeEmail(options.email);
  const name = options.name.trim();
  if (!isEmailAddress(email) || !name || name.length > 100) return fail(ErrorCode.invalidInput);
  if (options.role !== "ADMIN" && options.role !== "MEMBER") return fail(ErrorCode.invalidInput);
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return fail(ErrorCode.emailTaken);
    const user = await tx.user.create({ data: { accountId: admin.accountId, email, name, role: options.role } });
    const { token, invitation } = await issueInvitation(tx, { accountId: admin.accountId, userId: user.id, now });
    await auditAdmin(tx, admin, {
      type: AuditType.userInvited,
      targetId: user.id,
      request: options.request,
      data: { role: options.role },
    });
    return { ok: true as const, user, token, expiresAt: invitation.expiresAt, admin };
  }).catch((error: unknown) => {
    // Two invitations for the same address raced past the check: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return fail(ErrorCode.emailTaken);
    throw error;
  });
  if (!result.ok) return result;
  const sent = await emailInvitation(result);
  return { ok: true as const, userId: result.user.id, emailed: sent.ok };
}

export function isEmailAddress(email: string) {
  return /^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 254;
}

// Someone invited who has not joined: in the admin's account, enabled, without a password.
async function findInvitee(tx: Tx, admin: Admin, userId: string) {
  const user = await tx.user.findFirst({ where: { id: userId, accountId: admin.accountId } });
  if (!user) return fail(ErrorCode.notFound);
  if (user.passwordHash) return fail(ErrorCode.alreadyJoined);
  return { ok: true as const, user };
}

// "Resend invitation": a new link, valid for the full period again, which also rescues
// someone whose invitation expired or was revoked. Every older link dies with it.
export async function resendInvitation(options: { actor: Actor; userId: string; request: RequestInfo }) {
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const found = await findInvitee(tx, admin, options.userId);
    if (!found.ok) return found;
    const { user } = found;
    if (user.disabledAt) return fail(ErrorCode.invalidInput);
    const revoked = await revokeLiveInvitations(tx, user.id, now);
    const { token, invitation } = await issueInvitation(tx, { accountId: admin.accountId, userId: user.id, now });
    await auditAdmin(tx, admin, {
      type: AuditType.invitationResent,
      targetId: user.id,
      request: options.request,
      data: { previousRevoked: revoked },
    });
    return { ok: true as const, user, token, expiresAt: invitation.expiresAt, admin };
  });
  if (!result.ok) return result;
  const sent = await emailInvitation(result);
  return { ok: true as const, emailed: sent.ok, expiresAt: result.expiresAt };
}

// "Revoke invitation": the link stops working at once. The person stays in the list as
// invited, so an admin can send a new link later or disable them.
export async function revokeInvitation(options: { actor: Actor; userId: string; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const found = await findInvitee(tx, admin, options.userId);
    if (!found.ok) return found;
    const revoked = await revokeLiveInvitations(tx, found.user.id);
    if (revoked === 0) return fail(ErrorCode.noInvitation);
    await auditAdmin(tx, admin, {
      type: AuditType.invitationRevoked,
      targetId: found.user.id,
      request: options.request,
    });
    return { ok: true as const };
  });
}

// Where each not-yet-joined user's newest invitation stands, for the Users list and the
// user page. Users who have joined have no entry.
export async function invitationStates(
  users: Pick<User, "id" | "passwordHash">[],
  now = new Date(),
): Promise<Map<string, InvitationState>> {
  const invitees = users.filter((user) => !user.passwordHash).map((user) => user.id);
  const states = new Map<string, InvitationState>();
  if (invitees.length === 0) return states;
  const invitations = await db.invitation.findMany({
    where: { userId: { in: invitees }, usedAt: null },
    orderBy: { createdAt: "desc" },
  });
  for (const invitation of invitations) {
    if (states.has(invitation.userId)) continue;
    const status = invitation.revokedAt ? "revoked" : invitation.expiresAt <= now ? "expired" : "pending";
    states.set(invitation.userId, { status, expiresAt: invitation.expiresAt, sentAt: invitation.createdAt });
  }
  return states;
}

async function liveInvitation(token: string, now: Date) {
  if (!token || token.length > 128) return null;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { account: true },
  });
  if (!invitation || invitation.usedAt || invitation.revokedAt || invitation.expiresAt <= now) return null;
  const user = await db.user.findFirst({
    where: { id: invitation.userId, accountId: invitation.accountId, disabledAt: null },
  });
  return user ? { invitation, user } : null;
}

// For the /invite/[token] page: only valid, unused, unrevoked invitations.
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
// exactly one finds the invitation still unused and unrevoked and sets the password. The
// day they join starts their grace period for enforced 2FA.
export async function acceptInvitation(options: { token: string; password: string; request: RequestInfo }) {
  const now = new Date();
  const live = await liveInvitation(options.token, now);
  if (!live) return fail(ErrorCode.invalidOrExpired);
  const problem = checkPasswordPolicy(options.password, { email: live.user.email });
  if (problem) return { ok: false as const, error: ErrorCode.weakPassword, problem };
  const passwordHash = await hashPassword(options.password);
  const joined = await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: live.invitation.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    const user = await tx.user.update({
      where: { id: live.user.id },
      data: { passwordHash, passwordChangedAt: now, joinedAt: now },
    });
    await audit(tx, {
      accountId: live.invitation.accountId,
      type: AuditType.invitationAccepted,
      actorId: user.id,
      targetId: user.id,
      request: options.request,
    });
    return user;
  });
  return joined ? { ok: true as const, userId: joined.id, email: joined.email } : fail(ErrorCode.invalidOrExpired);
}
