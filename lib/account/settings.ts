import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "@/lib/api/token-revocation";
import { AuditType, audit } from "@/lib/audit/record";
import { REMEMBER_BROWSER_MAX_DAYS, SMS_PER_ACCOUNT_PER_HOUR_MAX } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { isTwoFactorMethod, methodFacts, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/factors/kinds";
import type { PasskeyRequirement } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { isCountryCode, phoneCountry } from "@/lib/messages/phone";
import { smsCountries } from "@/lib/messages/sms";
import { type Actor, asAdmin, auditAdmin, fail, loadAdmin } from "@/lib/people/roles";
import { db } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { endSessions } from "@/lib/sessions/sessions";
import { forgetForSetting } from "@/lib/sign-in/remembered-browser";
import { isCompliant, twoFactorRequirement } from "./policy";

// The account's settings (docs/security-model.md, "Account-wide requirements", "Limits and
// locks", "Sessions and sudo mode"): who must use 2FA and by when, the methods allowed, the
// lockout threshold, how long sessions last, the hourly SMS cap, where texts may go, and
// signing everyone out. Each change commits with its audit event (lib/people/roles.ts
// asAdmin).

function isIntIn(value: number, min: number, max: number) {
  return Number.isInteger(value) && value >= min && value <= max;
}

// Sends a few at a time: turning enforcement on may mail a whole account.
async function sendAll(messages: Parameters<typeof sendEmail>[0][]) {
  let sent = 0;
  for (let i = 0; i < messages.length; i += 10) {
    const results = await Promise.all(messages.slice(i, i + 10).map((email) => sendEmail(email)));
    sent += results.filter((r) => r.ok).length;
  }
  return sent;
}

const PASSKEY_REQUIREMENTS = ["off", "admins", "everyone"] as const satisfies readonly PasskeyRequirement[];

// General settings (docs/security-model.md, "Account-wide requirements", "Limits and
// locks"). Turning enforcement on, or asking more people for a passkey, starts the grace
// period now and emails everyone it affects; changing other settings while it is on keeps
// the start. A passkey can be required only while allowed.
export async function updateEnforcement(options: {
  actor: Actor;
  enabled: boolean;
  graceDays: number;
  allowedMethods: TwoFactorMethod[];
  lockoutThreshold: number;
  requirePasskey?: PasskeyRequirement;
  request: RequestInfo;
}) {
  const methods = TWO_FACTOR_METHODS.filter((m) => options.allowedMethods.includes(m));
  const requirePasskey = options.requirePasskey ?? "off";
  if (
    !isIntIn(options.graceDays, 0, 365) ||
    !isIntIn(options.lockoutThreshold, 3, 100) ||
    methods.length === 0 ||
    !options.allowedMethods.every(isTwoFactorMethod) ||
    !PASSKEY_REQUIREMENTS.includes(requirePasskey)
  ) {
    return fail(ErrorCode.invalidInput);
  }
  if (requirePasskey !== "off" && !methods.includes("passkey")) return fail(ErrorCode.passkeyNotAllowed);
  const now = new Date();
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const before = admin.account;
    const widening =
      requirePasskey !== before.requirePasskey && (before.requirePasskey === "off" || requirePasskey === "everyone");
    const turningOn = (options.enabled && !before.enforceTwoFactor) || widening;
    const account = await tx.account.update({
      where: { id: admin.accountId },
      data: {
        enforceTwoFactor: options.enabled,
        enforceGraceDays: options.graceDays,
        enforceSince: options.enabled ? (!before.enforceTwoFactor ? now : (before.enforceSince ?? now)) : null,
        allowedMethods: methods,
        lockoutThreshold: options.lockoutThreshold,
        requirePasskey,
        requirePasskeySince: requirePasskey === "off" ? null : widening ? now : (before.requirePasskeySince ?? now),
      },
    });
    // Everyone who will have to act: no second factor, or one the account no longer allows.
    const users = turningOn
      ? await tx.user.findMany({
          where: { accountId: account.id, disabledAt: null, twoFactorExempt: false },
          include: methodFacts,
        })
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
        allowedMethods: methods.join(","),
        lockoutThreshold: options.lockoutThreshold,
        requirePasskey,
        notified: recipients.length,
      },
    });
    return { ok: true as const, account, recipients };
  });
  if (!result.ok) return result;
  const { account, recipients } = result;
  const emailed = await sendAll(
    recipients.map((user) => {
      const requirement = twoFactorRequirement({ user, account, now });
      return {
        to: user.email,
        userId: user.id,
        ...emails.twoFactorRequired({
          name: user.name,
          accountName: account.name,
          deadline: account.enforceGraceDays === 0 ? null : requirement.deadline,
          passkey: requirement.passkey,
          // Someone invited who has not joined: their grace starts the day they join.
          ...(user.passwordHash ? {} : { daysAfterJoining: account.enforceGraceDays }),
        }),
      };
    }),
  );
  return { ok: true as const, emailed };
}

// One number of the account's settings, checked, changed and audited with its old value.
function setAccountNumber(
  options: { actor: Actor; value: number; request: RequestInfo },
  setting: { field: "sessionDurationDays" | "smsPerHour"; min: number; max: number; auditType: AuditType },
) {
  if (!isIntIn(options.value, setting.min, setting.max)) return Promise.resolve(fail(ErrorCode.invalidInput));
  return asAdmin(options.actor, async (tx, admin) => {
    await tx.account.update({ where: { id: admin.accountId }, data: { [setting.field]: options.value } });
    const data = { from: admin.account[setting.field], to: options.value };
    await auditAdmin(tx, admin, { type: setting.auditType, request: options.request, data });
    return { ok: true as const };
  });
}

// docs/security-model.md, "Sessions and sudo mode": existing sessions are capped by the new
// duration on their next request (validateSessionToken), so shortening it takes effect at
// once.
export function updateSessionDuration(options: { actor: Actor; days: number; request: RequestInfo }) {
  const setting = {
    field: "sessionDurationDays",
    min: 1,
    max: 365,
    auditType: AuditType.sessionDurationChanged,
  } as const;
  return setAccountNumber({ ...options, value: options.days }, setting);
}

// README "Remember this browser": whether the second step offers it and for how many days.
// Turning it off forgets every remembered browser of the account, and fewer days forget
// those already older (the rest stop at their new end), in the same transaction.
export function updateRememberBrowser(options: { actor: Actor; allowed: boolean; days: number; request: RequestInfo }) {
  const { allowed, days } = options;
  if (!isIntIn(days, 1, REMEMBER_BROWSER_MAX_DAYS)) return Promise.resolve(fail(ErrorCode.invalidInput));
  return asAdmin(options.actor, async (tx, admin) => {
    const before = admin.account;
    await tx.account.update({
      where: { id: admin.accountId },
      data: { rememberBrowserAllowed: allowed, rememberBrowserDays: days },
    });
    const forgotten = await forgetForSetting(tx, { accountId: admin.accountId, allowed, days, now: new Date() });
    await auditAdmin(tx, admin, {
      type: AuditType.rememberBrowserChanged,
      request: options.request,
      data: { allowed, from: before.rememberBrowserDays, to: days, forgotten },
    });
    return { ok: true as const, forgotten };
  });
}

// Issue 8, SMS pumping: the account's hourly cap on texts, across sign-ins and setups.
// Past it sign-in codes go by email and SMS setups wait. 0 sends no texts at all.
export function updateSmsPerHour(options: { actor: Actor; smsPerHour: number; request: RequestInfo }) {
  const setting = {
    field: "smsPerHour",
    min: 0,
    max: SMS_PER_ACCOUNT_PER_HOUR_MAX,
    auditType: AuditType.smsLimitChanged,
  } as const;
  return setAccountNumber({ ...options, value: options.smsPerHour }, setting);
}

// Where texts may go (README "Where texts may go"): the countries (none chosen: any) and the
// hourly cap on texts to each, across the account. Narrowing takes effect at the next
// text: a number already registered in a country left out gets its sign-in codes by email.
export function updateSmsCountries(options: {
  actor: Actor;
  countries: string[];
  perCountryPerHour: number;
  request: RequestInfo;
}) {
  const countries = [...new Set(options.countries)].sort();
  const { perCountryPerHour } = options;
  if (!countries.every(isCountryCode) || !isIntIn(perCountryPerHour, 1, SMS_PER_ACCOUNT_PER_HOUR_MAX))
    return Promise.resolve(fail(ErrorCode.invalidInput));
  return asAdmin(options.actor, async (tx, admin) => {
    await tx.account.update({
      where: { id: admin.accountId },
      data: { smsCountries: countries, smsPerCountryPerHour: perCountryPerHour },
    });
    await auditAdmin(tx, admin, {
      type: AuditType.smsCountriesChanged,
      request: options.request,
      data: {
        countries: countries.join(","),
        perCountryPerHour,
        countriesBefore: smsCountries(admin.account).join(","),
        perCountryPerHourBefore: admin.account.smsPerCountryPerHour,
      },
    });
    return { ok: true as const };
  });
}

// The countries of the account's SMS numbers and how many are in each, most first: what
// an admin narrowing the countries would leave out.
export async function registeredSmsCountries(options: { actor: Actor }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return [];
  const users = await db.user.findMany({
    where: { accountId: admin.accountId, phone: { not: null } },
    select: { phone: true },
  });
  const counts = new Map<string, number>();
  for (const { phone } of users) {
    const country = phoneCountry(phone);
    if (country) counts.set(country, (counts.get(country) ?? 0) + 1);
  }
  return [...counts]
    .map(([country, numbers]) => ({ country, numbers }))
    .sort((a, b) => b.numbers - a.numbers || a.country.localeCompare(b.country));
}

// docs/security-model.md, "Sessions and sudo mode": every user of the account signs in
// again, the admin included. With `revokeTokens` (after a breach, when nobody knows which
// tokens an intruder made), every personal access token in the account goes too, and each
// owner gets the list.
export async function clearAllSessions(options: { actor: Actor; revokeTokens?: boolean; request: RequestInfo }) {
  const result = await asAdmin(options.actor, async (tx, admin) => {
    const now = new Date();
    const count = await endSessions(tx, { where: { user: { accountId: admin.accountId } }, reason: "admin", now });
    await tx.loginChallenge.updateMany({
      where: { user: { accountId: admin.accountId }, consumedAt: null },
      data: { consumedAt: now },
    });
    const tokens = options.revokeTokens ? await revokeLiveAccessTokens(tx, { accountId: admin.accountId, now }) : [];
    await auditAdmin(tx, admin, {
      type: AuditType.sessionsCleared,
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
