import { DAY_MS } from "@/lib/config";
import { type MethodFacts, methodsOf, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/factors/kinds";
import type { Account, User } from "@/lib/generated/sqlite/client";

// Account-wide two-factor policy (docs/security-model.md, "Account-wide requirements"):
// pure decisions over an account and a user row, so pages, guards, the API and the admin
// tools all answer the same way.

export type PolicyAccount = Pick<
  Account,
  "enforceTwoFactor" | "enforceGraceDays" | "enforceSince" | "allowedMethods" | "requirePasskey" | "requirePasskeySince"
>;
export type PolicyUser = Pick<User, "twoFactorExempt" | "role" | "joinedAt"> & MethodFacts;

type RequirementState = "not_required" | "exempt" | "compliant" | "grace" | "overdue";
// What is asked of the user: any allowed method, or a passkey (phishing-resistant).
export type TwoFactorRequirement = { state: RequirementState; deadline: Date | null; passkey: boolean };

// Unknown entries in the stored list are ignored rather than trusted.
export function allowedMethods(account: Pick<Account, "allowedMethods">): TwoFactorMethod[] {
  const stored = account.allowedMethods;
  const listed = new Set(Array.isArray(stored) ? stored : []);
  return TWO_FACTOR_METHODS.filter((method) => listed.has(method));
}

// The grace period counted from when a requirement started, or, for someone who joined
// later (accepted an invitation, set the account up), from the day they joined, so a late
// joiner gets the whole grace period too.
function graceEnd(account: PolicyAccount, since: Date, user?: Pick<User, "joinedAt">) {
  const start = Math.max(since.getTime(), user?.joinedAt?.getTime() ?? 0);
  return new Date(start + account.enforceGraceDays * DAY_MS);
}

// When users without 2FA lose access; without a user, the account's own deadline. Null
// when the account does not enforce 2FA, or enforces it without a start date (only
// possible by editing the database), which twoFactorRequirement treats as already due.
export function enforcementDeadline(account: PolicyAccount, user?: Pick<User, "joinedAt">): Date | null {
  if (!account.enforceTwoFactor || !account.enforceSince) return null;
  return graceEnd(account, account.enforceSince, user);
}

// The same for the passkey requirement, which has its own start and the same grace.
function passkeyDeadline(account: PolicyAccount, user: Pick<User, "joinedAt">): Date | null {
  if (account.requirePasskey === "off" || !account.requirePasskeySince) return null;
  return graceEnd(account, account.requirePasskeySince, user);
}

// Whether the account asks this user for a passkey or security key.
export function passkeyRequired(options: { user: Pick<User, "role">; account: PolicyAccount }) {
  const { requirePasskey } = options.account;
  return requirePasskey === "everyone" || (requirePasskey === "admins" && options.user.role !== "MEMBER");
}

// A user must hold a passkey when the account asks it of them, and otherwise at least one
// method the account allows when it enforces 2FA. A method the account no longer allows
// does not count: when an admin narrows the allowed methods, users of the removed one
// must enrol again, as in Google Workspace. The deadline is set whenever something is
// required (compliant, grace, overdue).
export function twoFactorRequirement(options: {
  user: PolicyUser;
  account: PolicyAccount;
  now?: Date;
}): TwoFactorRequirement {
  const { user, account, now = new Date() } = options;
  const passkey = passkeyRequired({ user, account });
  if (!account.enforceTwoFactor && !passkey) return { state: "not_required", deadline: null, passkey };
  if (user.twoFactorExempt) return { state: "exempt", deadline: null, passkey };
  const deadline = passkey ? passkeyDeadline(account, user) : enforcementDeadline(account, user);
  const allowed = allowedMethods(account);
  const has = methodsOf(user).filter((method) => allowed.includes(method));
  if (passkey ? has.includes("passkey") : has.length > 0) return { state: "compliant", deadline, passkey };
  // Grace 0 gives a deadline equal to the start: overdue at the next sign-in.
  if (!deadline || now.getTime() >= deadline.getTime()) return { state: "overdue", deadline, passkey };
  return { state: "grace", deadline, passkey };
}

export function isCompliant(requirement: TwoFactorRequirement) {
  return requirement.state !== "grace" && requirement.state !== "overdue";
}

// After the deadline, signing in leads only to enrolment (docs/security-model.md, "Account-wide
// requirements").
export function mustEnroll(options: { user: PolicyUser; account: PolicyAccount; now?: Date }) {
  return twoFactorRequirement(options).state === "overdue";
}

// Whether the user may take `method` away (one passkey of several is not the method):
// not their last method while the account requires 2FA of them, and not their last
// passkey while it requires a passkey. An exempt user may.
export function canRemoveMethod(options: {
  user: PolicyUser;
  account: PolicyAccount;
  method: TwoFactorMethod;
  lastPasskey?: boolean;
}) {
  const { user, account, method } = options;
  if (user.twoFactorExempt) return true;
  const remaining = methodsOf(user).filter((m) => m !== method || (m === "passkey" && !options.lastPasskey));
  if (passkeyRequired({ user, account }) && !remaining.includes("passkey")) return false;
  return !account.enforceTwoFactor || remaining.length > 0;
}

// A user the account requires 2FA of cannot turn it off; an exempt user can
// (docs/security-model.md, "Turning two-factor authentication off").
export function canDisableTwoFactor(options: { user: Pick<User, "twoFactorExempt" | "role">; account: PolicyAccount }) {
  const { account, user } = options;
  return (!account.enforceTwoFactor && !passkeyRequired({ user, account })) || user.twoFactorExempt;
}
