import { DAY_MS } from "./config";
import type { Account, User } from "./generated/sqlite/client";
import { isTwoFactorMethod, TWO_FACTOR_METHODS, type TwoFactorMethod } from "./methods";

// Account-wide two-factor policy (SPEC §7): pure decisions over an account and a user
// row, so pages, guards, the API and the admin tools all answer the same way.

export type PolicyAccount = Pick<Account, "enforceTwoFactor" | "enforceGraceDays" | "enforceSince" | "allowedMethods">;
export type PolicyUser = Pick<User, "twoFactorMethod" | "twoFactorExempt" | "joinedAt">;

type RequirementState = "not_required" | "exempt" | "compliant" | "grace" | "overdue";
export type TwoFactorRequirement = { state: RequirementState; deadline: Date | null };

// Unknown entries in the stored list are ignored rather than trusted.
export function allowedMethods(account: Pick<Account, "allowedMethods">): TwoFactorMethod[] {
  const stored = account.allowedMethods;
  const listed = new Set(Array.isArray(stored) ? stored : []);
  return TWO_FACTOR_METHODS.filter((method) => listed.has(method));
}

// When users without 2FA lose access: the grace period counted from enforceSince, or,
// for someone who joined later (accepted an invitation, set the account up), from the
// day they joined, so a late joiner gets the whole grace period too. Without a user, the
// account's own deadline. Null when the account does not enforce 2FA, or enforces it
// without a start date (only possible by editing the database), which
// twoFactorRequirement treats as already due.
export function enforcementDeadline(account: PolicyAccount, user?: Pick<User, "joinedAt">): Date | null {
  if (!account.enforceTwoFactor || !account.enforceSince) return null;
  const start = Math.max(account.enforceSince.getTime(), user?.joinedAt?.getTime() ?? 0);
  return new Date(start + account.enforceGraceDays * DAY_MS);
}

// A method the account no longer allows does not count: when an admin narrows the
// allowed methods, users of the removed one must enrol again, as in Google Workspace.
// The deadline is set whenever 2FA is required (compliant, grace, overdue).
export function twoFactorRequirement(options: {
  user: PolicyUser;
  account: PolicyAccount;
  now?: Date;
}): TwoFactorRequirement {
  const { user, account, now = new Date() } = options;
  if (!account.enforceTwoFactor) return { state: "not_required", deadline: null };
  if (user.twoFactorExempt) return { state: "exempt", deadline: null };
  const deadline = enforcementDeadline(account, user);
  const method = user.twoFactorMethod;
  // SQLite stores the enum as text, so a hand-edited row can hold anything.
  if (isTwoFactorMethod(method) && allowedMethods(account).includes(method)) return { state: "compliant", deadline };
  // Grace 0 gives a deadline equal to enforceSince: overdue at the next sign-in.
  if (!deadline || now.getTime() >= deadline.getTime()) return { state: "overdue", deadline };
  return { state: "grace", deadline };
}

export function isCompliant(requirement: TwoFactorRequirement) {
  return requirement.state !== "grace" && requirement.state !== "overdue";
}

// After the deadline, signing in leads only to enrolment (SPEC §7).
export function mustEnroll(options: { user: PolicyUser; account: PolicyAccount; now?: Date }) {
  return twoFactorRequirement(options).state === "overdue";
}

// SPEC §6: a user the account requires 2FA of cannot turn it off; an exempt user can.
export function canDisableTwoFactor(options: { user: PolicyUser; account: PolicyAccount }) {
  const { account, user } = options;
  return !account.enforceTwoFactor || user.twoFactorExempt;
}
