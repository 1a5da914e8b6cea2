import { allowedMethods as parseAllowedMethods } from "@/lib/account/policy";
import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "@/lib/api/token-revocation";
import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { syncDefaultMethod } from "@/lib/factors/enrolled";
import { deliveredMethodOf, methodFacts } from "@/lib/factors/kinds";
import { removeSecondFactor } from "@/lib/factors/removal";
import type { User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { maskPhone, parsePhone } from "@/lib/messages/phone";
import { checkNewSmsNumber } from "@/lib/messages/sms";
import type { Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { endSessions } from "@/lib/sessions/sessions";
import { unlockSecondFactor } from "@/lib/sign-in/lockout";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { expireResetLinks } from "@/lib/sign-in/password-reset";
import { forgetRememberedBrowsers } from "@/lib/sign-in/remembered-browser";
import { type Actor, type Admin, asAdmin, auditAdmin, fail, isAdminRole } from "./roles";

// An admin's changes to one user of their account: role, disabling, exemption, 2FA
// preference, unlock, reset and expiring sessions. Each runs in one transaction that
// re-reads the admin (asAdmin) and is audited. The Users list is in users-list.ts.

function findTarget(tx: Tx, admin: Admin, userId: string) {
  return tx.user.findFirst({ where: { id: userId, accountId: admin.accountId }, include: methodFacts });
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

// docs/security-model.md, "Account-wide requirements": for integrations that cannot do 2FA.
// Visible in the Users list and audited.
export async function setExemption(options: { actor: Actor; userId: string; exempt: boolean; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (isOwnerOfOther(admin, target)) return fail(ErrorCode.owner);
    await tx.user.update({ where: { id: target.id }, data: { twoFactorExempt: options.exempt } });
    await auditAdmin(tx, admin, {
      type: AuditType.exemptionChanged,
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
    await auditAdmin(tx, admin, {
      type: AuditType.userRoleChanged,
      targetId: target.id,
      request: options.request,
      data: { from: target.role, to: options.role },
    });
    return { ok: true as const };
  });
}

// docs/security-model.md, "Limits and locks": ends a second-factor lockout at once.
export async function unlockUser(options: { actor: Actor; userId: string; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    await unlockSecondFactor(tx, target.id);
    await auditAdmin(tx, admin, { type: AuditType.userUnlocked, targetId: target.id, request: options.request });
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
    const count = await removeSecondFactor(tx, { userId: target.id, endedBy: "admin" });
    const tokens = await revokeLiveAccessTokens(tx, { userId: target.id });
    await auditAdmin(tx, admin, {
      type: AuditType.twoFactorReset,
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
    ...emails.twoFactorReset({ name: target.name, accountName }),
  });
  await emailRevokedTokens(tokens, `An administrator of ${accountName} reset your two-factor authentication`);
  return { ok: true as const };
}

// docs/security-model.md, "Sessions and sudo mode": takes effect on the next request, since
// sessions are looked up every time. Pending sign-ins are burned too, or one could still
// turn into a session.
export async function expireSessions(options: { actor: Actor; userId: string; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    const count = await endSessions(tx, { where: { userId: target.id }, reason: "admin" });
    await discardPendingChallenges(tx, target.id);
    await auditAdmin(tx, admin, {
      type: AuditType.sessionsExpired,
      targetId: target.id,
      request: options.request,
      data: { count },
    });
    return { ok: true as const, count };
  });
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
      await endSessions(tx, { where: { userId: target.id }, reason: "admin" });
      await discardPendingChallenges(tx, target.id);
      await expireResetLinks(tx, target.id);
      await forgetRememberedBrowsers(tx, { userId: target.id });
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

// docs/security-model.md, "SMS and email codes": an admin chooses SMS or email codes for a
// user. They sit next to whatever the user set up themselves (an app, passkeys), which an
// admin's choice never removes: that is resetTwoFactor, which also ends sessions and emails
// them. `null` means "no preference from an admin": it turns SMS and email codes off. A
// changed phone number is unverified until a code reaches it.
export async function setTwoFactorPreference(options: {
  actor: Actor;
  userId: string;
  method: "sms" | "email" | null;
  phone?: string;
  phoneCountry?: string;
  request: RequestInfo;
}) {
  const { method } = options;
  if (method !== null && method !== "sms" && method !== "email") return fail(ErrorCode.invalidInput);
  const phoneInput = options.phone?.trim() || undefined;
  const phone = phoneInput === undefined ? undefined : parsePhone(phoneInput, options.phoneCountry);
  if (phone === null) return fail(ErrorCode.invalidPhone);
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const target = await findTarget(tx, admin, options.userId);
    if (!target) return fail(ErrorCode.notFound);
    if (isOwnerOfOther(admin, target)) return fail(ErrorCode.owner);
    if (method && !parseAllowedMethods(admin.account).includes(method)) return fail(ErrorCode.methodNotAllowed);
    if (method === "sms" && !phone && !target.phone) return fail(ErrorCode.phoneRequired);
    // The number to be texted, new or kept, must be one the account texts (lib/messages/sms.ts).
    const texted = method === "sms" ? (phone ?? target.phone) : phone;
    const check = texted ? checkNewSmsNumber(admin.account, texted) : null;
    if (check && !check.ok) return fail(check.error);

    const now = new Date();
    const previous = deliveredMethodOf(target);
    const phoneChanged = phone !== undefined && phone !== target.phone;
    await tx.user.update({
      where: { id: target.id },
      data: {
        smsEnabledAt: method === "sms" ? (target.smsEnabledAt ?? now) : null,
        emailCodesEnabledAt: method === "email" ? (target.emailCodesEnabledAt ?? now) : null,
        ...(phoneChanged ? { phone, phoneVerifiedAt: null } : {}),
      },
    });
    await syncDefaultMethod(tx, target.id, now);
    // A sign-in started under the old method would wait for a factor the user no longer has.
    if (method !== previous) await discardPendingChallenges(tx, target.id);
    await auditAdmin(tx, admin, {
      type: AuditType.twoFactorPreferenceChanged,
      targetId: target.id,
      request: options.request,
      data: { from: previous, to: method, phoneChanged, ...(phoneChanged && phone ? { phone: maskPhone(phone) } : {}) },
    });
    const changed = method !== previous || (method === "sms" && phoneChanged);
    const notice = changed ? { method, phone: phone ?? target.phone } : null;
    return { ok: true as const, method, notice, target, accountName: admin.account.name };
  });
  if (!result.ok) return result;
  const { target, accountName, notice } = result;
  // The user hears from us, not at their next sign-in, that their sign-in changed, and
  // where to get the recovery codes that an admin's choice does not come with.
  if (notice) {
    await sendEmail({
      to: target.email,
      userId: target.id,
      ...emails.twoFactorSetByAdmin({ name: target.name, accountName, ...notice }),
    });
  }
  return { ok: true as const, method: result.method };
}
