import { describe, expect, it } from "vitest";
import {
  allowedMethods,
  canDisableTwoFactor,
  enforcementDeadline,
  mustEnroll,
  type PolicyUser,
  twoFactorRequirement,
} from "@/lib/enforcement";

// The account-wide 2FA policy (SPEC §7) as pure decisions. The guard that sends overdue
// users to enrolment relies on these answers; a wrong "compliant" would let a user
// without a second factor keep using the account after the deadline.

const DAY = 24 * 60 * 60_000;
const since = new Date("2025-03-01T12:00:00Z");
const at = (days: number) => new Date(since.getTime() + days * DAY);

const account = (overrides: Partial<Parameters<typeof twoFactorRequirement>[0]["account"]> = {}) => ({
  enforceTwoFactor: true,
  enforceGraceDays: 7,
  enforceSince: since,
  allowedMethods: ["totp", "sms", "email"],
  ...overrides,
});
const noTwoFactor = { twoFactorMethod: null, twoFactorExempt: false, joinedAt: null };
const withApp: PolicyUser = { twoFactorMethod: "totp", twoFactorExempt: false, joinedAt: null };

describe("two-factor requirement", () => {
  it("is not required when the account does not enforce it", () => {
    const off = account({ enforceTwoFactor: false, enforceSince: null });
    expect(twoFactorRequirement({ user: noTwoFactor, account: off, now: at(30) })).toEqual({
      state: "not_required",
      deadline: null,
    });
    expect(mustEnroll({ user: noTwoFactor, account: off, now: at(30) })).toBe(false);
    expect(enforcementDeadline(off)).toBeNull();
  });

  it("does not apply to exempt users", () => {
    const user = { twoFactorMethod: null, twoFactorExempt: true, joinedAt: null };
    expect(twoFactorRequirement({ user, account: account(), now: at(30) })).toEqual({
      state: "exempt",
      deadline: null,
    });
    expect(mustEnroll({ user, account: account(), now: at(30) })).toBe(false);
  });

  it("is met by any allowed method, before and after the deadline", () => {
    for (const twoFactorMethod of ["totp", "sms", "email"] as const) {
      const user = { twoFactorMethod, twoFactorExempt: false, joinedAt: null };
      expect(twoFactorRequirement({ user, account: account(), now: at(1) })).toEqual({
        state: "compliant",
        deadline: at(7),
      });
      expect(twoFactorRequirement({ user, account: account(), now: at(30) }).state).toBe("compliant");
    }
  });

  it("gives a grace period with its deadline, then is overdue", () => {
    expect(twoFactorRequirement({ user: noTwoFactor, account: account(), now: at(0) })).toEqual({
      state: "grace",
      deadline: at(7),
    });
    expect(
      twoFactorRequirement({ user: noTwoFactor, account: account(), now: new Date(at(7).getTime() - 1) }).state,
    ).toBe("grace");
    expect(twoFactorRequirement({ user: noTwoFactor, account: account(), now: at(7) })).toEqual({
      state: "overdue",
      deadline: at(7),
    });
    expect(mustEnroll({ user: noTwoFactor, account: account(), now: at(6) })).toBe(false);
    expect(mustEnroll({ user: noTwoFactor, account: account(), now: at(8) })).toBe(true);
  });

  it("with a grace period of 0 is overdue at once (the next sign-in)", () => {
    const strict = account({ enforceGraceDays: 0 });
    expect(twoFactorRequirement({ user: noTwoFactor, account: strict, now: since })).toEqual({
      state: "overdue",
      deadline: since,
    });
    expect(mustEnroll({ user: noTwoFactor, account: strict, now: since })).toBe(true);
  });

  it("treats enforcement without a start date as already due", () => {
    expect(twoFactorRequirement({ user: noTwoFactor, account: account({ enforceSince: null }), now: since })).toEqual({
      state: "overdue",
      deadline: null,
    });
  });

  it("does not count a method the account no longer allows", () => {
    const appOnly = account({ allowedMethods: ["totp"] });
    expect(
      twoFactorRequirement({
        user: { twoFactorMethod: "sms", twoFactorExempt: false, joinedAt: null },
        account: appOnly,
        now: at(1),
      }).state,
    ).toBe("grace");
    expect(
      twoFactorRequirement({
        user: { twoFactorMethod: "email", twoFactorExempt: false, joinedAt: null },
        account: appOnly,
        now: at(8),
      }).state,
    ).toBe("overdue");
    expect(twoFactorRequirement({ user: withApp, account: appOnly, now: at(8) }).state).toBe("compliant");
    expect(
      twoFactorRequirement({
        user: { twoFactorMethod: "carrier-pigeon" as never, twoFactorExempt: false, joinedAt: null },
        account: account(),
        now: at(8),
      }).state,
    ).toBe("overdue");
  });
});

describe("a late joiner's deadline", () => {
  // Someone invited after 2FA became required must not find their grace period already
  // spent (or over) on the day they join.
  it("runs the grace period from the day they joined, when that is after enforcement began", () => {
    const joined = { ...noTwoFactor, joinedAt: at(30) };
    expect(twoFactorRequirement({ user: joined, account: account(), now: at(31) })).toEqual({
      state: "grace",
      deadline: at(37),
    });
    expect(mustEnroll({ user: joined, account: account(), now: at(37) })).toBe(true);
    expect(enforcementDeadline(account(), joined)).toEqual(at(37));
    expect(enforcementDeadline(account())).toEqual(at(7));
  });

  it("keeps the account's deadline for those who joined before enforcement began", () => {
    const early = { ...noTwoFactor, joinedAt: at(-100) };
    expect(twoFactorRequirement({ user: early, account: account(), now: at(8) })).toEqual({
      state: "overdue",
      deadline: at(7),
    });
  });

  it("with no grace period, is due at once even for a late joiner", () => {
    const joined = { ...noTwoFactor, joinedAt: at(30) };
    expect(mustEnroll({ user: joined, account: account({ enforceGraceDays: 0 }), now: at(30) })).toBe(true);
  });
});

describe("disabling two-factor authentication", () => {
  it("is refused while the account requires it of the user", () => {
    expect(canDisableTwoFactor({ user: withApp, account: account() })).toBe(false);
    expect(canDisableTwoFactor({ user: { ...withApp, twoFactorExempt: true }, account: account() })).toBe(true);
    expect(canDisableTwoFactor({ user: withApp, account: account({ enforceTwoFactor: false }) })).toBe(true);
  });
});

describe("allowed methods", () => {
  it("parses the stored list in a fixed order and ignores unknown entries", () => {
    expect(allowedMethods({ allowedMethods: ["totp", "sms", "email"] })).toEqual(["totp", "sms", "email"]);
    expect(allowedMethods({ allowedMethods: ["email", "totp"] })).toEqual(["totp", "email"]);
    expect(allowedMethods({ allowedMethods: ["sms", "voice", "", 7, null] })).toEqual(["sms"]);
    expect(allowedMethods({ allowedMethods: [] })).toEqual([]);
  });
});
