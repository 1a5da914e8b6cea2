// Property: the 2FA policy says who must have which method by when, late joiners get their whole grace period, and the last required method stays.
import { describe, expect, it } from "vitest";
import {
  allowedMethods,
  canDisableTwoFactor,
  canRemoveMethod,
  enforcementDeadline,
  mustEnroll,
  type PolicyUser,
  twoFactorRequirement,
} from "@/lib/account/policy";

// The account-wide 2FA policy (docs/security-model.md, "Account-wide requirements") as pure
// decisions. The guard that sends overdue users to enrolment relies on these answers; a
// wrong "compliant" would let a user without a second factor keep using the account after
// the deadline.

const DAY = 24 * 60 * 60_000;
const since = new Date("2025-03-01T12:00:00Z");
const at = (days: number) => new Date(since.getTime() + days * DAY);

const account = (overrides: Partial<Parameters<typeof twoFactorRequirement>[0]["account"]> = {}) => ({
  enforceTwoFactor: true,
  enforceGraceDays: 7,
  enforceSince: since,
  allowedMethods: ["passkey", "totp", "sms", "email"],
  requirePasskey: "off" as const,
  requirePasskeySince: null,
  ...overrides,
});
// A user row with the given methods (passkeys: how many).
const member = (
  methods: { totp?: boolean; sms?: boolean; email?: boolean; passkeys?: number } = {},
  overrides: Partial<PolicyUser> = {},
): PolicyUser => ({
  role: "MEMBER",
  twoFactorExempt: false,
  joinedAt: null,
  totpCredential: methods.totp ? { id: "app" } : null,
  smsEnabledAt: methods.sms ? since : null,
  emailCodesEnabledAt: methods.email ? since : null,
  _count: { webAuthnCredentials: methods.passkeys ?? 0 },
  ...overrides,
});
const noTwoFactor = member();
const withApp = member({ totp: true });

describe("two-factor requirement", () => {
  it("is not required when the account does not enforce it", () => {
    const off = account({ enforceTwoFactor: false, enforceSince: null });
    expect(twoFactorRequirement({ user: noTwoFactor, account: off, now: at(30) })).toEqual({
      state: "not_required",
      deadline: null,
      passkey: false,
    });
    expect(mustEnroll({ user: noTwoFactor, account: off, now: at(30) })).toBe(false);
    expect(enforcementDeadline(off)).toBeNull();
  });

  it("does not apply to exempt users", () => {
    const user = member({}, { twoFactorExempt: true });
    expect(twoFactorRequirement({ user, account: account(), now: at(30) })).toEqual({
      state: "exempt",
      deadline: null,
      passkey: false,
    });
    expect(mustEnroll({ user, account: account(), now: at(30) })).toBe(false);
  });

  it("is met by any allowed method, before and after the deadline", () => {
    for (const user of [
      member({ totp: true }),
      member({ sms: true }),
      member({ email: true }),
      member({ passkeys: 1 }),
    ]) {
      expect(twoFactorRequirement({ user, account: account(), now: at(1) })).toEqual({
        state: "compliant",
        deadline: at(7),
        passkey: false,
      });
      expect(twoFactorRequirement({ user, account: account(), now: at(30) }).state).toBe("compliant");
    }
  });

  it("gives a grace period with its deadline, then is overdue", () => {
    expect(twoFactorRequirement({ user: noTwoFactor, account: account(), now: at(0) })).toEqual({
      state: "grace",
      deadline: at(7),
      passkey: false,
    });
    expect(
      twoFactorRequirement({ user: noTwoFactor, account: account(), now: new Date(at(7).getTime() - 1) }).state,
    ).toBe("grace");
    expect(twoFactorRequirement({ user: noTwoFactor, account: account(), now: at(7) })).toEqual({
      state: "overdue",
      deadline: at(7),
      passkey: false,
    });
    expect(mustEnroll({ user: noTwoFactor, account: account(), now: at(6) })).toBe(false);
    expect(mustEnroll({ user: noTwoFactor, account: account(), now: at(8) })).toBe(true);
  });

  it("with a grace period of 0 is overdue at once (the next sign-in)", () => {
    const strict = account({ enforceGraceDays: 0 });
    expect(twoFactorRequirement({ user: noTwoFactor, account: strict, now: since })).toEqual({
      state: "overdue",
      deadline: since,
      passkey: false,
    });
    expect(mustEnroll({ user: noTwoFactor, account: strict, now: since })).toBe(true);
  });

  it("treats enforcement without a start date as already due", () => {
    expect(twoFactorRequirement({ user: noTwoFactor, account: account({ enforceSince: null }), now: since })).toEqual({
      state: "overdue",
      deadline: null,
      passkey: false,
    });
  });

  it("does not count a method the account no longer allows", () => {
    const appOnly = account({ allowedMethods: ["totp"] });
    expect(twoFactorRequirement({ user: member({ sms: true }), account: appOnly, now: at(1) }).state).toBe("grace");
    expect(twoFactorRequirement({ user: member({ email: true }), account: appOnly, now: at(8) }).state).toBe("overdue");
    expect(twoFactorRequirement({ user: withApp, account: appOnly, now: at(8) }).state).toBe("compliant");
    expect(twoFactorRequirement({ user: member({ sms: true, totp: true }), account: appOnly, now: at(8) }).state).toBe(
      "compliant",
    );
  });
});

describe("a late joiner's deadline", () => {
  // Someone invited after 2FA became required must not find their grace period already
  // spent (or over) on the day they join.
  it("runs the grace period from the day they joined, when that is after enforcement began", () => {
    const joined = member({}, { joinedAt: at(30) });
    expect(twoFactorRequirement({ user: joined, account: account(), now: at(31) })).toEqual({
      state: "grace",
      deadline: at(37),
      passkey: false,
    });
    expect(mustEnroll({ user: joined, account: account(), now: at(37) })).toBe(true);
    expect(enforcementDeadline(account(), joined)).toEqual(at(37));
    expect(enforcementDeadline(account())).toEqual(at(7));
  });

  it("keeps the account's deadline for those who joined before enforcement began", () => {
    const early = member({}, { joinedAt: at(-100) });
    expect(twoFactorRequirement({ user: early, account: account(), now: at(8) })).toEqual({
      state: "overdue",
      deadline: at(7),
      passkey: false,
    });
  });

  it("with no grace period, is due at once even for a late joiner", () => {
    const joined = member({}, { joinedAt: at(30) });
    expect(mustEnroll({ user: joined, account: account({ enforceGraceDays: 0 }), now: at(30) })).toBe(true);
  });

  it("gives a late joiner the passkey requirement's whole grace period too", () => {
    const passkeys = account({ enforceTwoFactor: false, requirePasskey: "everyone", requirePasskeySince: since });
    const joined = member({ totp: true }, { joinedAt: at(30) });
    expect(twoFactorRequirement({ user: joined, account: passkeys, now: at(31) })).toEqual({
      state: "grace",
      deadline: at(37),
      passkey: true,
    });
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
    expect(allowedMethods({ allowedMethods: ["email", "passkey", "totp"] })).toEqual(["passkey", "totp", "email"]);
    expect(allowedMethods({ allowedMethods: ["sms", "voice", "", 7, null] })).toEqual(["sms"]);
    expect(allowedMethods({ allowedMethods: [] })).toEqual([]);
  });
});

describe("several methods and the passkey requirement", () => {
  const passkeysForAdmins = account({ enforceTwoFactor: false, requirePasskey: "admins", requirePasskeySince: since });
  const admin = (methods: Parameters<typeof member>[0]) => member(methods, { role: "ADMIN" });

  it("asks admins, and only admins, for a passkey, with its own start and the same grace", () => {
    expect(twoFactorRequirement({ user: admin({ totp: true }), account: passkeysForAdmins, now: at(1) })).toEqual({
      state: "grace",
      deadline: at(7),
      passkey: true,
    });
    expect(mustEnroll({ user: admin({ totp: true, sms: true }), account: passkeysForAdmins, now: at(7) })).toBe(true);
    expect(
      mustEnroll({ user: member({ totp: true }, { role: "OWNER" }), account: passkeysForAdmins, now: at(8) }),
    ).toBe(true);
    expect(twoFactorRequirement({ user: admin({ passkeys: 2 }), account: passkeysForAdmins, now: at(8) }).state).toBe(
      "compliant",
    );
    expect(twoFactorRequirement({ user: member(), account: passkeysForAdmins, now: at(30) }).state).toBe(
      "not_required",
    );
  });

  it("asks everyone for a passkey when the account says so; exemptions still hold", () => {
    const everyone = account({ requirePasskey: "everyone", requirePasskeySince: since, enforceGraceDays: 0 });
    expect(mustEnroll({ user: member({ totp: true }), account: everyone, now: since })).toBe(true);
    expect(mustEnroll({ user: member({ passkeys: 1 }), account: everyone, now: since })).toBe(false);
    expect(mustEnroll({ user: member({}, { twoFactorExempt: true }), account: everyone, now: at(30) })).toBe(false);
  });

  it("lets a user remove a method while another remains, never the last one the account requires", () => {
    const both = member({ totp: true, passkeys: 1 });
    expect(canRemoveMethod({ user: both, account: account(), method: "totp" })).toBe(true);
    expect(canRemoveMethod({ user: both, account: account(), method: "passkey", lastPasskey: true })).toBe(true);
    expect(canRemoveMethod({ user: withApp, account: account(), method: "totp" })).toBe(false);
    expect(canRemoveMethod({ user: withApp, account: account({ enforceTwoFactor: false }), method: "totp" })).toBe(
      true,
    );
    const keys = admin({ totp: true, passkeys: 2 });
    expect(canRemoveMethod({ user: keys, account: passkeysForAdmins, method: "passkey", lastPasskey: false })).toBe(
      true,
    );
    expect(
      canRemoveMethod({
        user: admin({ totp: true, passkeys: 1 }),
        account: passkeysForAdmins,
        method: "passkey",
        lastPasskey: true,
      }),
    ).toBe(false);
    expect(canRemoveMethod({ user: keys, account: passkeysForAdmins, method: "totp" })).toBe(true);
  });

  it("refuses turning 2FA off to anyone the account asks for a passkey", () => {
    expect(canDisableTwoFactor({ user: admin({ passkeys: 1 }), account: passkeysForAdmins })).toBe(false);
    expect(canDisableTwoFactor({ user: member({ passkeys: 1 }), account: passkeysForAdmins })).toBe(true);
  });
});
