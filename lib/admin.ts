import { AuditType, audit, auditData } from "./audit";
import { INVITATION_TTL_MS, SMS_PER_ACCOUNT_PER_HOUR_MAX } from "./config";
import { hashToken, randomToken } from "./crypto";
import { db, type Tx } from "./db";
import {
  enforcementDeadline,
  isCompliant,
  type PolicyAccount,
  allowedMethods as parseAllowedMethods,
  twoFactorRequirement,
} from "./enforcement";
import { env } from "./env";
import { ErrorCode } from "./errors";
import type { Account, Role, User } from "./generated/sqlite/client";
import { discardPendingChallenges } from "./login-challenge";
import { sendEmail } from "./mail";
import { isTwoFactorMethod, methodName, TWO_FACTOR_METHODS, type TwoFactorMethod } from "./methods";
import { checkPasswordPolicy, hashPassword } from "./password";
import { expireResetLinks } from "./password-reset";
import type { RequestInfo } from "./request-info";
import { normalizeEmail } from "./sign-in";
import { normalizePhone } from "./sms";
import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "./token-revocation";
import { formatDateTime } from "./user-agent";

// Account settings (SPEC §1, §7, §9, §11). Every function checks for itself that the
// actor is an enabled OWNER or ADMIN and that the target is in the actor's account, so
// a page or action that forgets its guard still cannot reach another account. Expected
// failures are returned as { ok: false, error } with one of these codes.
export type AdminError =
  | typeof ErrorCode.forbidden // the actor is not an enabled admin of their account
  | typeof ErrorCode.notFound // no such user in the actor's account (other accounts look the same)
  | typeof ErrorCode.invalidInput
  | typeof ErrorCode.owner // the owner cannot be demoted or disabled, nor weakened by an admin
  | typeof ErrorCode.self // an admin cannot disable themselves
  | typeof ErrorCode.lastAdmin
  | typeof ErrorCode.methodNotAllowed
  | typeof ErrorCode.invalidPhone
  | typeof ErrorCode.phoneRequired
  | typeof ErrorCode.emailTaken
  | typeof ErrorCode.invalidOrExpired // an invitation link that is unknown, used, or past its expiry
  | typeof ErrorCode.weakPassword;

export type Actor = Pick<User, "id" | "accountId">;
type Admin = User & { account: Account };

const fail = <E extends AdminError>(error: E) => ({ ok: false as const, error });

function isIntIn(value: number, min: number, max: number) {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function isAdminRole(role: Role) {
  return role === "OWNER" || role === "ADMIN";
}

// The actor is read again rather than trusted: a row loaded earlier in the request may
// be stale (demoted or disabled since) or, by a bug, from another account.
async function loadAdmin(tx: Tx, actor: Actor): Promise<Admin | null> {
  const row = await tx.user.findUnique({ where: { id: actor.id }, include: { account: true } });
  if (!row || row.accountId !== actor.accountId || row.disabledAt || !isAdminRole(row.role)) return null;
  return row;
}

function findTarget(tx: Tx, admin: Admin, userId: string) {
  return tx.user.findFirst({ where: { id: userId, accountId: admin.accountId } });
}

// Runs an admin change in one transaction with its audit event. The first statement
// takes the account row's write lock, so admin changes to one account run one after
// another: rules that read other rows before writing (the last-admin rule, "turning
// enforcement on") cannot be passed twice by two concurrent requests.
function asAdmin<T>(actor: Actor, work: (tx: Tx, admin: Admin) => Promise<T>) {
  return db.$transaction(async (tx) => {
    await tx.account.updateMany({ where: { id: actor.accountId }, data: { lockoutThreshold: { increment: 0 } } });
    const admin = await loadAdmin(tx, actor);
    if (!admin) return fail(ErrorCode.forbidden);
    return work(tx, admin);
  });
}

// The owner's sign-in is theirs alone: an admin may not reset, exempt or change the
// owner's second factor (that would let an admin weaken the one account they cannot
// remove). The owner may do these things to themselves.
function isOwnerOfOther(admin: Admin, target: User) {
  return target.role === "OWNER" && target.id !== admin.id;
}

// "Admins cannot lock themselves out of the account: the last admin with 2FA cannot be
// demoted or disabled." Precisely: when the target is an enabled OWNER or ADMIN with a
// second factor, some other enabled OWNER or ADMIN with a second factor must remain.
// An admin with 2FA is one who can sign in and administer whatever the policy says;
// without one, the account could be left with only admins stuck at enrolment. The
// rule does not protect admins without 2FA: demoting them leaves the count unchanged.
async function isLastAdminWithTwoFactor(tx: Tx, target: User) {
  if (!isAdminRole(target.role) || target.disabledAt || !target.twoFactorMethod) return false;
  const others = await tx.user.count({
    where: {
      accountId: target.accountId,
      id: { not: target.id },
      role: { in: ["OWNER", "ADMIN"] },
      disabledAt: null,
      twoFactorMethod: { not: null },
    },
  });
  return others === 0;
}

function twoFactorStatus(user: Pick<User, "twoFactorMethod" | "twoFactorExempt">) {
  if (isTwoFactorMethod(user.twoFactorMethod)) return methodName(user.twoFactorMethod);
  return user.twoFactorExempt ? ("exempt" as const) : ("none" as const);
}

function summarize(user: User, account: PolicyAccount, now: Date) {
  const requirement = twoFactorRequirement({ user, account, now });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    twoFactorStatus: twoFactorStatus(user),
    exempt: user.twoFactorExempt,
    compliant: isCompliant(requirement),
    deadline: requirement.deadline,
    lastSignInAt: user.lastSignInAt,
    locked: !!user.secondFactorLockedUntil && user.secondFactorLockedUntil > now,
    disabled: !!user.disabledAt,
  };
}

function profileUrl() {
  return `${env().APP_URL}/profile`;
}

// Sends a few at a time: turning enforcement on may mail a whole account.
async function sendAll(emails: Parameters<typeof sendEmail>[0][]) {
  let sent = 0;
  for (let i = 0; i < emails.length; i += 10) {
    const results = await Promise.all(emails.slice(i, i + 10).map((email) => sendEmail(email)));
    sent += results.filter((r) => r.ok).length;
  }
  return sent;
}

// General settings (SPEC §7, §8). Turning enforcement on starts the grace period now and
// emails everyone it affects; changing other settings while it is on keeps the start.
export async function updateEnforcement(options: {
  actor: Actor;
  enabled: boolean;
  graceDays: number;
  allowedMethods: TwoFactorMethod[];
  lockoutThreshold: number;
  request: RequestInfo;
}) {
  const methods = TWO_FACTOR_METHODS.filter((m) => options.allowedMethods.includes(m));
  if (
    !isIntIn(options.graceDays, 0, 365) ||
    !isIntIn(options.lockoutThreshold, 3, 100) ||
    methods.length === 0 ||
    !options.allowedMethods.every(isTwoFactorMethod)
  ) {
    return fail(ErrorCode.invalidInput);
  }
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const turningOn = options.enabled && !admin.account.enforceTwoFactor;
    const account = await tx.account.update({
      where: { id: admin.accountId },
      data: {
        enforceTwoFactor: options.enabled,
        enforceGraceDays: options.graceDays,
        enforceSince: options.enabled ? (turningOn ? now : (admin.account.enforceSince ?? now)) : null,
        allowedMethods: methods.join(","),
        lockoutThreshold: options.lockoutThreshold,
      },
    });
    // Everyone who will have to act: no second factor, or one the account no longer allows.
    const users = turningOn
      ? await tx.user.findMany({ where: { accountId: account.id, disabledAt: null, twoFactorExempt: false } })
      : [];
    const recipients = users.filter((user) => !isCompliant(twoFactorRequirement({ user, account, now })));
    await audit(tx, {
      accountId: account.id,
      type: AuditType.enforcementChanged,
      actorId: admin.id,
      request: options.request,
      data: {
        enabled: options.enabled,
        graceDays: options.graceDays,
        allowedMethods: account.allowedMethods,
        lockoutThreshold: options.lockoutThreshold,
        notified: recipients.length,
      },
    });
    return { ok: true as const, account, recipients };
  });
  if (!result.ok) return result;
  const { account, recipients } = result;
  const deadline = enforcementDeadline(account);
  const when =
    account.enforceGraceDays === 0 || !deadline
      ? "You will be asked to set it up the next time you sign in."
      : `Please set it up before ${formatDateTime(deadline)}. After that, signing in will lead only to the set-up page until you have done so.`;
  const emailed = await sendAll(
    recipients.map((user) => ({
      to: user.email,
      userId: user.id,
      subject: `${account.name} now requires two-factor authentication`,
      text: `Hello ${user.name},\n\n${account.name} now requires two-factor authentication for everyone who signs in.\n${when}\n\nSet it up in My Profile:\n${profileUrl()}\n`,
    })),
  );
  return { ok: true as const, emailed };
}

// SPEC §9: existing sessions are capped by the new duration on their next request
// (validateSessionToken), so shortening it takes effect at once.
export async function updateSessionDuration(options: { actor: Actor; days: number; request: RequestInfo }) {
  if (!isIntIn(options.days, 1, 365)) return fail(ErrorCode.invalidInput);
  return asAdmin(options.actor, async (tx, admin) => {
    await tx.account.update({ where: { id: admin.accountId }, data: { sessionDurationDays: options.days } });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.sessionDurationChanged,
      actorId: admin.id,
      request: options.request,
      data: { from: admin.account.sessionDurationDays, to: options.days },
    });
    return { ok: true as const };
  });
}

// Issue 8, SMS pumping: the account's hourly cap on texts, across sign-ins and setups.
// Past it sign-in codes go by email and SMS setups wait. 0 sends no texts at all.
export async function updateSmsPerHour(options: { actor: Actor; smsPerHour: number; request: RequestInfo }) {
  if (!isIntIn(options.smsPerHour, 0, SMS_PER_ACCOUNT_PER_HOUR_MAX)) return fail(ErrorCode.invalidInput);
  return asAdmin(options.actor, async (tx, admin) => {
    await tx.account.update({ where: { id: admin.accountId }, data: { smsPerHour: options.smsPerHour } });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.smsLimitChanged,
      actorId: admin.id,
      request: options.request,
      data: { from: admin.account.smsPerHour, to: options.smsPerHour },
    });
    return { ok: true as const };
  });
}

// SPEC §7 Users list. "not_compliant" leaves out disabled users: they cannot sign in.
export async function listUsers(options: { actor: Actor; filter?: "all" | "not_compliant" }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail(ErrorCode.forbidden);
  const now = new Date();
  const users = await db.user.findMany({
    where: { accountId: admin.accountId },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
  const rows = users.map((user) => summarize(user, admin.account, now));
  return {
    ok: true as const,
    users: options.filter === "not_compliant" ? rows.filter((row) => !row.compliant && !row.disabled) : rows,
  };
}

// One user's row for the edit page, with the details the forms need.
export async function getUserForAdmin(options: { actor: Actor; userId: string }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail(ErrorCode.forbidden);
  const user = await findTarget(db, admin, options.userId);
  if (!user) return fail(ErrorCode.notFound);
  return {
    ok: true as const,
    user: {
      ...summarize(user, admin.account, new Date()),
      twoFactorMethod: user.twoFactorMethod,
      twoFactorExempt: user.twoFactorExempt,
      phone: user.phone,
      phoneVerifiedAt: user.phoneVerifiedAt,
    },
  };
}

// SPEC §7: for integrations that cannot do 2FA. Visible in the Users list and audited.
export async function setExemption(options: { actor: Actor; userId: string; exempt: boolean; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (isOwnerOfOther(admin, target)) return fail(ErrorCode.owner);
    await tx.user.update({ where: { id: target.id }, data: { twoFactorExempt: options.exempt } });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.exemptionChanged,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: { exempt: options.exempt },
    });
    return { ok: true as const };
  });
}

export async function changeRole(options: {
  actor: Actor;
  userId: string;
  role: "ADMIN" | "MEMBER";
  request: RequestInfo;
}) {
  if (options.role !== "ADMIN" && options.role !== "MEMBER") return fail(ErrorCode.invalidInput);
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (target.role === "OWNER") return fail(ErrorCode.owner);
    if (options.role === "MEMBER" && (await isLastAdminWithTwoFactor(tx, target))) return fail(ErrorCode.lastAdmin);
    await tx.user.update({ where: { id: target.id }, data: { role: options.role } });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.userRoleChanged,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: { from: target.role, to: options.role },
    });
    return { ok: true as const };
  });
}

// SPEC §8: ends a second-factor lockout at once.
export async function unlockUser(options: { actor: Actor; userId: string; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    await tx.user.update({
      where: { id: target.id },
      data: { secondFactorLockedUntil: null, failedSecondFactorCount: 0 },
    });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.userUnlocked,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
    });
    return { ok: true as const };
  });
}

// For a user who lost their device and their recovery codes. Everything that could still
// prove the old factor goes, and so does every session, half-finished sign-in and
// personal access token, in case the device is in someone else's hands. The user signs
// in with their password and enrols again.
export async function resetTwoFactor(options: { actor: Actor; userId: string; request: RequestInfo }) {
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (isOwnerOfOther(admin, target)) return fail(ErrorCode.owner);
    await tx.totpCredential.deleteMany({ where: { userId: target.id } });
    await tx.totpSetup.deleteMany({ where: { userId: target.id } });
    await tx.recoveryCode.deleteMany({ where: { userId: target.id } });
    await tx.user.update({ where: { id: target.id }, data: { twoFactorMethod: null, twoFactorEnabledAt: null } });
    const { count } = await tx.session.deleteMany({ where: { userId: target.id } });
    await discardPendingChallenges(tx, target.id);
    const tokens = await revokeLiveAccessTokens(tx, { userId: target.id });
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.twoFactorReset,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: { method: target.twoFactorMethod, sessionsEnded: count, tokensRevoked: countTokens(tokens) },
    });
    return { ok: true as const, target, accountName: admin.account.name, tokens };
  });
  if (!result.ok) return result;
  const { target, accountName, tokens } = result;
  await sendEmail({
    to: target.email,
    userId: target.id,
    subject: "Your two-factor authentication was reset",
    text: `Hello ${target.name},\n\nAn administrator of ${accountName} reset two-factor authentication for your account. Your second factor and your recovery codes no longer work, and you have been signed out everywhere.\n\nSign in with your password and set up two-factor authentication again in My Profile:\n${profileUrl()}\n\nIf you did not ask for this, tell your administrator.\n`,
  });
  await emailRevokedTokens(tokens, `An administrator of ${accountName} reset your two-factor authentication`);
  return { ok: true as const };
}

// SPEC §9: takes effect on the next request, since sessions are looked up every time.
// Pending sign-ins are burned too, or one could still turn into a session.
export async function expireSessions(options: { actor: Actor; userId: string; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    const { count } = await tx.session.deleteMany({ where: { userId: target.id } });
    await discardPendingChallenges(tx, target.id);
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.sessionsExpired,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: { count },
    });
    return { ok: true as const, count };
  });
}

// SPEC §9: every user of the account signs in again, the admin included. With
// `revokeTokens` (after a breach, when nobody knows which tokens an intruder made),
// every personal access token in the account goes too, and each owner gets the list.
export async function clearAllSessions(options: { actor: Actor; revokeTokens?: boolean; request: RequestInfo }) {
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const now = new Date();
    const { count } = await tx.session.deleteMany({ where: { user: { accountId: admin.accountId } } });
    await tx.loginChallenge.updateMany({
      where: { user: { accountId: admin.accountId }, consumedAt: null },
      data: { consumedAt: now },
    });
    const tokens = options.revokeTokens ? await revokeLiveAccessTokens(tx, { accountId: admin.accountId, now }) : [];
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.sessionsCleared,
      actorId: admin.id,
      request: options.request,
      data: { count, tokensRevoked: countTokens(tokens) },
    });
    return { ok: true as const, count, tokens, accountName: admin.account.name };
  });
  if (!result.ok) return result;
  const { count, tokens, accountName } = result;
  await emailRevokedTokens(tokens, `An administrator of ${accountName} signed everyone out`);
  return { ok: true as const, count, tokensRevoked: countTokens(tokens) };
}

export async function setDisabled(options: { actor: Actor; userId: string; disabled: boolean; request: RequestInfo }) {
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (target.role === "OWNER") return fail(ErrorCode.owner);
    if (target.id === admin.id) return fail(ErrorCode.self);
    if (options.disabled && (await isLastAdminWithTwoFactor(tx, target))) return fail(ErrorCode.lastAdmin);
    await tx.user.update({ where: { id: target.id }, data: { disabledAt: options.disabled ? new Date() : null } });
    // Everything goes, not just what a disabled user is refused: enabling the user again
    // must not bring back a token or link that someone else may hold.
    const tokens = options.disabled ? await revokeLiveAccessTokens(tx, { userId: target.id }) : [];
    if (options.disabled) {
      await tx.session.deleteMany({ where: { userId: target.id } });
      await discardPendingChallenges(tx, target.id);
      await expireResetLinks(tx, target.id);
    }
    await audit(tx, {
      accountId: admin.accountId,
      type: options.disabled ? AuditType.userDisabled : AuditType.userEnabled,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: options.disabled ? { tokensRevoked: countTokens(tokens) } : undefined,
    });
    return { ok: true as const, tokens, accountName: admin.account.name };
  });
  if (!result.ok) return result;
  await emailRevokedTokens(result.tokens, `An administrator of ${result.accountName} disabled your account`);
  return { ok: true as const };
}

// SPEC §5: an admin chooses SMS or email codes for a user. `null` means "no preference
// from an admin": it turns off an SMS or email method, but never removes an
// authenticator app the user set up themselves (that is resetTwoFactor, which also ends
// sessions and emails them). Choosing SMS or email explicitly does replace an app: the
// app's secret is deleted so no dormant factor is left behind; recovery codes stay, as
// they back up any method. A changed phone number is unverified until a code reaches it.
export async function setTwoFactorPreference(options: {
  actor: Actor;
  userId: string;
  method: "sms" | "email" | null;
  phone?: string;
  request: RequestInfo;
}) {
  const { method } = options;
  if (method !== null && method !== "sms" && method !== "email") return fail(ErrorCode.invalidInput);
  const phoneInput = options.phone?.trim() || undefined;
  const phone = phoneInput === undefined ? undefined : normalizePhone(phoneInput);
  if (phone === null) return fail(ErrorCode.invalidPhone);
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (isOwnerOfOther(admin, target)) return fail(ErrorCode.owner);
    if (method && !parseAllowedMethods(admin.account).includes(method)) return fail(ErrorCode.methodNotAllowed);
    if (method === "sms" && !phone && !target.phone) return fail(ErrorCode.phoneRequired);

    const nextMethod = method ?? (target.twoFactorMethod === "totp" ? "totp" : null);
    const phoneChanged = phone !== undefined && phone !== target.phone;
    if (target.twoFactorMethod === "totp" && nextMethod !== "totp") {
      await tx.totpCredential.deleteMany({ where: { userId: target.id } });
      await tx.totpSetup.deleteMany({ where: { userId: target.id } });
    }
    await tx.user.update({
      where: { id: target.id },
      data: {
        twoFactorMethod: nextMethod,
        twoFactorEnabledAt:
          nextMethod === null ? null : nextMethod === target.twoFactorMethod ? target.twoFactorEnabledAt : new Date(),
        ...(phoneChanged ? { phone, phoneVerifiedAt: null } : {}),
      },
    });
    // A sign-in started under the old method would wait for a factor the user no longer has.
    if (nextMethod !== target.twoFactorMethod) await discardPendingChallenges(tx, target.id);
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.twoFactorPreferenceChanged,
      actorId: admin.id,
      targetId: target.id,
      request: options.request,
      data: { from: target.twoFactorMethod, to: nextMethod, phoneChanged },
    });
    return { ok: true as const, method: nextMethod };
  });
}

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
    await audit(tx, {
      accountId: admin.accountId,
      type: AuditType.userInvited,
      actorId: admin.id,
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
    subject: `You're invited to ${admin.account.name}`,
    text: `Hello ${user.name},\n\n${admin.name} invited you to ${admin.account.name}. Choose a password to finish setting up your account:\n${env().APP_URL}/invite/${token}\n\nThe link works once, until ${formatDateTime(invitation.expiresAt)}.\n`,
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

// SPEC §11 audit log: newest first, filtered by a user (as actor or target) and a type,
// never reaching past the actor's account.
export async function listAuditEvents(options: {
  actor: Actor;
  userId?: string;
  type?: string;
  page: number;
  pageSize: number;
}) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail(ErrorCode.forbidden);
  const page = Math.max(1, Math.floor(options.page) || 1);
  const pageSize = Math.min(100, Math.max(1, Math.floor(options.pageSize) || 25));
  const where = {
    accountId: admin.accountId,
    ...(options.userId ? { OR: [{ actorId: options.userId }, { targetId: options.userId }] } : {}),
    ...(options.type ? { type: options.type } : {}),
  };
  const person = { select: { id: true, name: true, email: true } };
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      include: { actor: person, target: person },
    }),
  ]);
  const events = rows.map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.createdAt,
    ip: row.ip,
    userAgent: row.userAgent,
    data: auditData(row),
    actor: row.actor,
    target: row.target,
  }));
  return { ok: true as const, events, total, page, pageSize };
}
