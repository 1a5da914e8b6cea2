import {
  isCompliant,
  type PolicyAccount,
  allowedMethods as parseAllowedMethods,
  twoFactorRequirement,
} from "@/lib/account/policy";
import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "@/lib/api/token-revocation";
import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { syncDefaultMethod } from "@/lib/factors/enrolled";
import {
  deliveredMethodOf,
  type MethodFacts,
  methodFacts,
  methodName,
  methodsOf,
  TWO_FACTOR_METHODS,
} from "@/lib/factors/kinds";
import { removeSecondFactor } from "@/lib/factors/removal";
import type { Prisma, Role, User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { maskPhone, parsePhone } from "@/lib/messages/phone";
import { checkNewSmsNumber } from "@/lib/messages/sms";
import { db, isPostgres, type Tx } from "@/lib/platform/db";
import { decodeCursor, encodeCursor, type PageDirection } from "@/lib/platform/keyset";
import type { RequestInfo } from "@/lib/platform/request-info";
import { endSessions } from "@/lib/sessions/sessions";
import { secondFactorLockState, unlockSecondFactor } from "@/lib/sign-in/lockout";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { expireResetLinks } from "@/lib/sign-in/password-reset";
import { invitationStates } from "./invitations";
import { type Actor, type Admin, asAdmin, auditAdmin, fail, isAdminRole, loadAdmin } from "./roles";

// The users of an account as an admin sees and changes them (SPEC §5, §7, §8, §9): the
// list, role, disabling, exemption, 2FA preference, unlock, reset and expiring sessions.

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

type ListedUser = User & MethodFacts;

function twoFactorStatus(user: ListedUser) {
  const [strongest] = methodsOf(user);
  if (strongest) return methodName(strongest);
  return user.twoFactorExempt ? ("exempt" as const) : ("none" as const);
}

// The Users list's method filter, in the API's names, and "none" for users without any.
export const METHOD_FILTERS = [...TWO_FACTOR_METHODS.map(methodName), "none"] as const;
export type MethodFilter = (typeof METHOD_FILTERS)[number];

const methodWhere: Record<MethodFilter, Prisma.UserWhereInput> = {
  passkey: { webAuthnCredentials: { some: {} } },
  app: { totpCredential: { isNot: null } },
  sms: { smsEnabledAt: { not: null } },
  email: { emailCodesEnabledAt: { not: null } },
  none: {
    webAuthnCredentials: { none: {} },
    totpCredential: { is: null },
    smsEnabledAt: null,
    emailCodesEnabledAt: null,
  },
};

// "Not compliant" as a query, so it pages like any other filter. It must say what
// twoFactorRequirement says of each user (tests/people/users-list.test.ts compares the two):
// those asked for a passkey lack an allowed one; everyone else, when 2FA is enforced,
// lacks every allowed method. Disabled users are left out: they cannot sign in.
function notCompliantWhere(account: PolicyAccount): Prisma.UserWhereInput {
  const allowed = parseAllowedMethods(account);
  const passkeyRoles: Role[] =
    account.requirePasskey === "everyone"
      ? ["OWNER", "ADMIN", "MEMBER"]
      : account.requirePasskey === "admins"
        ? ["OWNER", "ADMIN"]
        : [];
  const hasAllowedPasskey = allowed.includes("passkey") ? methodWhere.passkey : { id: { in: [] } };
  const hasAllowed = { OR: allowed.map((method) => methodWhere[methodName(method)]) };
  const lacking: Prisma.UserWhereInput[] = [{ role: { in: passkeyRoles }, NOT: hasAllowedPasskey }];
  if (account.enforceTwoFactor) lacking.push({ role: { notIn: passkeyRoles }, NOT: hasAllowed });
  return { disabledAt: null, twoFactorExempt: false, OR: lacking };
}

// Case-insensitive on both databases: SQLite's LIKE already is (for ASCII letters);
// PostgreSQL's needs Prisma's `mode`, which the SQLite client does not know. Emails are
// stored in lower case. Prisma passes % and _ on to LIKE as wildcards: PostgreSQL takes
// them literally after a backslash; SQLite knows no escape without an ESCAPE clause,
// which Prisma never writes, so a search holding one is matched by a query of our own.
async function searchWhere(accountId: string, search: string): Promise<Prisma.UserWhereInput> {
  const wildcards = /[\\%_]/g;
  const hasWildcard = /[\\%_]/.test(search);
  if (isPostgres()) {
    const term = search.replace(wildcards, (c) => `\\${c}`);
    return {
      OR: [
        { name: { contains: term, mode: "insensitive" } as Prisma.StringFilter },
        { email: { contains: term.toLowerCase() } },
      ],
    };
  }
  if (!hasWildcard) return { OR: [{ name: { contains: search } }, { email: { contains: search.toLowerCase() } }] };
  const pattern = `%${search.toLowerCase().replace(wildcards, (c) => `\\${c}`)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "User" WHERE "accountId" = ${accountId}
    AND (lower("name") LIKE ${pattern} ESCAPE '\\' OR "email" LIKE ${pattern} ESCAPE '\\')`;
  return { id: { in: rows.map((row) => row.id) } };
}

type UserKey = { name: string; id: string };

// The rows past `key` in the list's order, by name then id: later ones for "next".
function beyond(key: UserKey, direction: PageDirection): Prisma.UserWhereInput {
  const side = direction === "next" ? "gt" : "lt";
  return { OR: [{ name: { [side]: key.name } }, { name: key.name, id: { [side]: key.id } }] };
}

function summarize(user: ListedUser, account: PolicyAccount, now: Date) {
  const requirement = twoFactorRequirement({ user, account, now });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    twoFactorStatus: twoFactorStatus(user),
    methods: methodsOf(user),
    // Where texted codes go, masked as everywhere else.
    maskedPhone: user.smsEnabledAt && user.phone ? maskPhone(user.phone) : null,
    exempt: user.twoFactorExempt,
    compliant: isCompliant(requirement),
    deadline: requirement.deadline,
    lastSignInAt: user.lastSignInAt,
    locked: secondFactorLockState(user, now).locked,
    disabled: !!user.disabledAt,
  };
}

const USERS_PAGE_SIZE = 50;

// SPEC §7 Users list: searched by name or email, filtered by method or compliance, in
// pages by name (keyset: a page is "the users after this one", so it stays right while
// people are added), with the cursors of the pages either side (null at either end).
export async function listUsers(options: {
  actor: Actor;
  filter?: "all" | "not_compliant";
  search?: string;
  method?: MethodFilter;
  cursor?: string;
  direction?: PageDirection;
  pageSize?: number;
}) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail(ErrorCode.forbidden);
  const now = new Date();
  const pageSize = Math.min(200, Math.max(1, Math.floor(options.pageSize ?? USERS_PAGE_SIZE) || USERS_PAGE_SIZE));
  const search = options.search?.trim().slice(0, 100);
  const where: Prisma.UserWhereInput = {
    AND: [
      { accountId: admin.accountId },
      options.filter === "not_compliant" ? notCompliantWhere(admin.account) : {},
      options.method ? methodWhere[options.method] : {},
      search ? await searchWhere(admin.accountId, search) : {},
    ],
  };
  const keys = decodeCursor(options.cursor, 2);
  const key = keys ? { name: keys[0], id: keys[1] } : null;
  const direction = key ? (options.direction ?? "next") : "next";
  const forward = direction === "next";
  const order = forward ? "asc" : "desc";
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where: key ? { AND: [where, beyond(key, direction)] } : where,
      orderBy: [{ name: order }, { id: order }],
      take: pageSize + 1,
      include: methodFacts,
    }),
    db.user.count({ where }),
  ]);
  const page = rows.slice(0, pageSize);
  if (!forward) page.reverse();
  const more = rows.length > pageSize;
  const edge = forward ? page[0] : page.at(-1);
  const back = key
    ? (await db.user.count({ where: { AND: [where, beyond(edge ?? key, forward ? "previous" : "next")] }, take: 1 })) >
      0
    : false;
  const [hasPrevious, hasNext] = forward ? [back, more] : [more, back];
  const first = page[0];
  const last = page.at(-1);
  const invitations = await invitationStates(page, now);
  return {
    ok: true as const,
    users: page.map((user) => ({
      ...summarize(user, admin.account, now),
      invitation: invitations.get(user.id) ?? null,
    })),
    total,
    previous: hasPrevious && first ? encodeCursor([first.name, first.id]) : null,
    next: hasNext && last ? encodeCursor([last.name, last.id]) : null,
  };
}

// One user's row for the edit page, with the details the forms need.
export async function getUserForAdmin(options: { actor: Actor; userId: string }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail(ErrorCode.forbidden);
  const user = await db.user.findFirst({
    where: { id: options.userId, accountId: admin.accountId },
    include: methodFacts,
  });
  if (!user) return fail(ErrorCode.notFound);
  const now = new Date();
  return {
    ok: true as const,
    user: {
      ...summarize(user, admin.account, now),
      invitation: (await invitationStates([user], now)).get(user.id) ?? null,
      joined: !!user.passwordHash,
      twoFactorMethod: user.twoFactorMethod,
      // What the admin's 2FA preference form shows as chosen: the codes, not the app or passkeys.
      deliveredMethod: deliveredMethodOf(user),
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

// SPEC §8: ends a second-factor lockout at once.
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

// SPEC §9: takes effect on the next request, since sessions are looked up every time.
// Pending sign-ins are burned too, or one could still turn into a session.
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

// SPEC §5: an admin chooses SMS or email codes for a user. They sit next to whatever the
// user set up themselves (an app, passkeys), which an admin's choice never removes: that
// is resetTwoFactor, which also ends sessions and emails them. `null` means "no
// preference from an admin": it turns SMS and email codes off. A changed phone number is
// unverified until a code reaches it.
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

// Everyone in the admin's account by name, only what a picker shows (the audit log's user filter).
export async function listUserNames(options: { actor: Actor }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return [];
  return db.user.findMany({
    where: { accountId: admin.accountId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, email: true },
  });
}
