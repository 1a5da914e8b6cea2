import {
  isCompliant,
  type PolicyAccount,
  allowedMethods as parseAllowedMethods,
  twoFactorRequirement,
} from "@/lib/account/policy";
import { ErrorCode } from "@/lib/errors";
import {
  deliveredMethodOf,
  type MethodFacts,
  methodFacts,
  methodName,
  methodsOf,
  TWO_FACTOR_METHODS,
} from "@/lib/factors/kinds";
import type { Prisma, Role, User } from "@/lib/generated/sqlite/client";
import { maskPhone } from "@/lib/messages/phone";
import { listPasskeys } from "@/lib/passkeys/manage";
import { db, isPostgres } from "@/lib/platform/db";
import { decodeCursor, encodeCursor, type PageDirection } from "@/lib/platform/keyset";
import { secondFactorLockState } from "@/lib/sign-in/lockout";
import { invitationStates } from "./invitations";
import { type Actor, fail, loadAdmin } from "./roles";

// The users of an account as an admin reads them: the Users list with its search, filters
// and pages, one user for the edit page, and the names the audit log's user filter offers.
// The admin's changes to a user are in user-admin.ts.

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

// The Users list (docs/security-model.md, "Account-wide requirements"): searched by name or
// email, filtered by method or compliance, in pages by name (keyset: a page is "the users
// after this one", so it stays right while people are added), with the cursors of the pages
// either side (null at either end).
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
      passkeys: (await listPasskeys(user.id)).map(({ id, name, provider, createdAt, lastUsedAt }) => ({
        id,
        name,
        provider,
        createdAt,
        lastUsedAt,
      })),
    },
  };
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
