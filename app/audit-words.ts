import type { AuditData, AuditType } from "@/lib/audit/record";
import { isTwoFactorMethod, type TwoFactorMethod } from "@/lib/factors/kinds";
import { formatDateTime } from "@/lib/format/user-agent";
import { countryName } from "@/lib/messages/phone";
import { listText } from "./messages";

// The audit log's events in words. Typed over every AuditType, so a new event type does
// not compile until it has a name here.
export const auditTypeText: Record<AuditType, string> = {
  "account.created": "Account created",
  "sign_in.succeeded": "Signed in",
  "sign_in.failed": "Sign-in failed",
  "sign_in.rate_limited": "Sign-in attempts rate limited",
  "session.signed_out": "Signed out",
  "session.revoked": "Session signed out",
  "session.others_revoked": "Other sessions signed out",
  "password.changed": "Password changed",
  "password.reset_requested": "Password reset requested",
  "password.reset": "Password reset",
  "profile.updated": "Profile updated",
  "two_factor.enabled": "Two-factor authentication turned on",
  "two_factor.disabled": "Two-factor authentication turned off",
  "two_factor.method_removed": "Second-factor method removed",
  "passkey.added": "Passkey added",
  "passkey.removed": "Passkey removed",
  "passkey.renamed": "Passkey renamed",
  "sign_in.passkey": "Signed in with a passkey",
  "two_factor.verified": "Second step passed",
  "two_factor.locked": "Second step locked",
  "recovery_code.used": "Recovery code used",
  "recovery_codes.regenerated": "New recovery codes generated",
  "enforcement.changed": "Two-factor requirement changed",
  "sessions.duration_changed": "Session duration changed",
  "exemption.changed": "Exemption changed",
  "user.role_changed": "Role changed",
  "user.unlocked": "User unlocked",
  "two_factor.reset": "Two-factor authentication reset",
  "two_factor.preference_changed": "Two-factor preference changed",
  "sessions.expired": "Sessions expired",
  "sessions.cleared": "All sessions cleared",
  "user.disabled": "User disabled",
  "user.enabled": "User enabled",
  "user.invited": "User invited",
  "invitation.accepted": "Invitation accepted",
  "invitation.resent": "Invitation sent again",
  "invitation.revoked": "Invitation revoked",
  "email.change_requested": "Email address change requested",
  "email.changed": "Email address changed",
  "token.created": "Access token created",
  "token.revoked": "Access token revoked",
  "sms.limited": "Text message held back by the hourly limit",
  "sign_in_code.email_limited": "Sign-in code email held back by the hourly limit",
  "sms.limit_changed": "Hourly text message limit changed",
  "sms.countries_changed": "Countries for text messages changed",
  "sign_in.browser_link_sent": "Sign-in link for a new browser sent",
  "sign_in.browser_trusted": "New browser confirmed by email",
  "remembered_browser.added": "Browser remembered (no second step there)",
  "remembered_browser.used": "Second step skipped: remembered browser",
  "remembered_browser.forgotten": "Remembered browsers forgotten",
  "remember_browser.changed": "Setting for remembering browsers changed",
  "audit_stream.enabled": "Audit streaming turned on",
  "audit_stream.url_changed": "Audit streaming address changed",
  "audit_stream.secret_rotated": "Audit streaming secret replaced",
  "audit_stream.disabled": "Audit streaming turned off",
  "audit_stream.test_sent": "Audit streaming test event sent",
};

// Types written by an older version, or by hand, are shown as they are stored.
export function auditTypeName(type: string) {
  return (auditTypeText as Record<string, string>)[type] ?? type;
}

type AuditValue = AuditData[string];
type AuditEventText = { type: string; data: AuditData | null };

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

const methodWords: Record<TwoFactorMethod, string> = {
  passkey: "passkey or security key",
  totp: "authenticator app",
  sms: "text message (SMS)",
  email: "codes by email",
};

// A stored value read plainly: an unknown or older value still shows, without underscores.
function valueWords(value: AuditValue): string {
  if (value === null) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (isTwoFactorMethod(value)) return methodWords[value];
  return value.replaceAll("_", " ");
}

function numberOr(value: AuditValue, words: (n: number) => string) {
  return typeof value === "number" ? words(value) : valueWords(value);
}

const sessionsWords = (value: AuditValue) =>
  numberOr(value, (n) => (n === 0 ? "no sessions to sign out" : `${plural(n, "session")} signed out`));

const roleWords = (value: AuditValue) => (typeof value === "string" ? value.toLowerCase() : valueWords(value));

// What "from" and "to" stand for in each event that records a change.
const changeWords: Record<string, (value: AuditValue) => string> = {
  "user.role_changed": roleWords,
  "sessions.duration_changed": (value) => numberOr(value, (n) => plural(n, "day")),
  "remember_browser.changed": (value) => numberOr(value, (n) => plural(n, "day")),
  "sms.limit_changed": (value) => numberOr(value, (n) => (n === 0 ? "no texts" : `${plural(n, "text")} an hour`)),
  "two_factor.preference_changed": (value) => (value === null ? "no method chosen" : valueWords(value)),
  // Addresses as they are: an underscore is part of one.
  "email.changed": String,
  "email.change_requested": String,
  // Host names as they are.
  "audit_stream.url_changed": String,
};

const failureWords: Record<string, string> = {
  password: "wrong email or password",
  second_factor: "wrong second step",
  passkey: "passkey or security key not accepted",
  invalid_code: "the code was wrong",
  invalid_format: "not a code",
  replayed: "a code that was already used",
  passkey_rejected: "passkey or security key not accepted",
};

const passkeyRequirementWords: Record<string, string> = {
  off: "passkeys not required",
  admins: "passkeys required of admins",
  everyone: "passkeys required of everyone",
};

const smsLimitWords: Record<string, string> = {
  user: "the person's hourly limit reached",
  country: "the hourly limit for the number's country reached",
  account: "the account's hourly limit reached",
  sign_in: "at sign-in",
  setup: "while setting up text messages",
};

function clientWords(client: AuditValue, isNew: AuditValue) {
  const api = client === "api";
  if (isNew === true) return api ? "from a new API client" : "from a new browser";
  return `${api ? "from an API client" : "from a browser"}${isNew === false ? ", recognised" : ""}`;
}

const PASSKEY_EVENTS = new Set(["passkey.added", "passkey.removed", "passkey.renamed"]);
const PASSKEY_SIGN_INS = new Set(["sign_in.passkey", "two_factor.verified"]);

// Each detail an event may carry, as a phrase, in the order a reader takes them. Given
// the whole event, because some read two details together (a browser and whether it was
// new) and "from"/"to" say different things in different events. Null leaves a detail
// out: one another phrase already said, or an id that means nothing to a person (the
// CSV export keeps the raw values).
const detailWords: Record<string, (value: AuditValue, event: { type: string; data: AuditData }) => string | null> = {
  reason: (value) => failureWords[String(value)] ?? valueWords(value),
  error: (value, { data }) =>
    data.reason === "passkey" && value === "passkey_rejected"
      ? null
      : (failureWords[String(value)] ?? valueWords(value)),
  client: (value, { data }) => clientWords(value, data.newClient),
  newClient: (value, { data }) =>
    "client" in data ? null : value ? "from a new browser or client" : "from a recognised browser or client",
  recognisedBrowser: (value) => (value ? "from a recognised browser" : "from a browser not seen before"),
  from: (value, { type, data }) => {
    const words = changeWords[type] ?? valueWords;
    return "to" in data ? `from ${words(value)} to ${words(data.to)}` : `from ${words(value)}`;
  },
  to: (value, { type, data }) => ("from" in data ? null : `to ${(changeWords[type] ?? valueWords)(value)}`),
  method: (value, { type, data }) => {
    if (type === "sign_in.passkey" || (value === "passkey" && typeof data.name === "string")) return null;
    if (type === "two_factor.verified") return `with ${valueWords(value)}`;
    if (type === "two_factor.reset" || type === "two_factor.disabled")
      return value === null ? "no second factor was set up" : `was using ${valueWords(value)}`;
    return valueWords(value);
  },
  name: (value, { type }) =>
    PASSKEY_SIGN_INS.has(type)
      ? `with the passkey “${value}”`
      : PASSKEY_EVENTS.has(type)
        ? `the passkey “${value}”`
        : type.startsWith("token.")
          ? `the token “${value}”`
          : `“${value}”`,
  // Events written before the name was recorded say which kind of thing, not its id.
  passkeyId: (_value, { type, data }) =>
    typeof data.name === "string" ? null : PASSKEY_SIGN_INS.has(type) ? "with a passkey" : "a passkey",
  phoneChanged: (value) => (value ? "phone number changed" : "phone number unchanged"),
  phone: (value) => `texts go to ${valueWords(value)}`,
  replaced: (value) => (value ? "replacing the previous one" : "nothing replaced"),
  sessionsEnded: sessionsWords,
  count: sessionsWords,
  tokensRevoked: (value) =>
    numberOr(value, (n) => (n === 0 ? "no access tokens to revoke" : `${plural(n, "access token")} revoked`)),
  remaining: (value) =>
    numberOr(value, (n) => (n === 0 ? "no recovery codes left" : `${plural(n, "recovery code")} left`)),
  attempts: (value) => numberOr(value, (n) => `after ${plural(n, "failed attempt")}`),
  until: (value) => (typeof value === "string" ? `until ${formatDateTime(new Date(value))}` : valueWords(value)),
  role: (value) => `as ${roleWords(value)}`,
  enabled: (value) => (value ? "two-factor authentication required" : "two-factor authentication not required"),
  graceDays: (value) =>
    numberOr(value, (n) =>
      n === 0 ? "no grace period: set up at the next sign-in" : `${plural(n, "day")} to set it up`,
    ),
  allowedMethods: (value) =>
    `methods allowed: ${String(value)
      .split(",")
      .map((method) => valueWords(method))
      .join(", ")}`,
  lockoutThreshold: (value) => numberOr(value, (n) => `locked after ${plural(n, "failed attempt")}`),
  requirePasskey: (value) => passkeyRequirementWords[String(value)] ?? valueWords(value),
  notified: (value) =>
    numberOr(value, (n) => (n === 0 ? "nobody to email" : `${plural(n, "person", "people")} emailed`)),
  exempt: (value) => (value ? "exempt from the two-factor requirement" : "no longer exempt"),
  previousRevoked: (value) =>
    numberOr(value, (n) => (n === 0 ? "no earlier link was still valid" : "the earlier link stopped working")),
  invitationsRevoked: (value) =>
    numberOr(value, (n) => (n === 0 ? "no pending invitation" : "their pending invitation stopped working")),
  scopes: (value) => {
    const scopes = String(value).split(",");
    return `with the scope${scopes.length === 1 ? "" : "s"} ${scopes.slice(0, -1).join(", ")}${scopes.length > 1 ? " and " : ""}${scopes.at(-1)}`;
  },
  expiresInDays: (value) =>
    value === null ? "never expires" : numberOr(value, (n) => `expires after ${plural(n, "day")}`),
  limit: (value) => numberOr(value, (n) => `the limit is ${n} an hour`),
  scope: (value) => smsLimitWords[String(value)] ?? valueWords(value),
  purpose: (value) => smsLimitWords[String(value)] ?? valueWords(value),
  country: (value) => `to a number in ${countryWords(value)}`,
  countries: (value, { data }) =>
    "countriesBefore" in data
      ? `texts to ${countryWords(value)}, were to ${countryWords(data.countriesBefore)}`
      : `texts to ${countryWords(value)}`,
  countriesBefore: () => null,
  perCountryPerHour: (value, { data }) =>
    numberOr(value, (n) =>
      "perCountryPerHourBefore" in data && data.perCountryPerHourBefore !== value
        ? `at most ${plural(n, "text")} an hour to each country, was ${valueWords(data.perCountryPerHourBefore)}`
        : `at most ${plural(n, "text")} an hour to each country`,
    ),
  perCountryPerHourBefore: () => null,
  host: (value) => `sending to ${String(value)}`,
  days: (value) => numberOr(value, (n) => `for ${plural(n, "day")}`),
  allowed: (value) => (value ? "browsers may be remembered" : "no browser is remembered"),
  forgotten: (value) =>
    numberOr(value, (n) =>
      n === 0 ? "no remembered browser to forget" : `${plural(n, "remembered browser")} forgotten`,
    ),
};

// Stored as ISO 3166 codes joined by commas (the CSV keeps them so); "" is any country.
function countryWords(value: AuditValue) {
  if (typeof value !== "string") return valueWords(value);
  return value ? listText(value.split(",").map(countryName), "and") : "any country";
}

// "requirePasskey" → "require passkey": a detail this version has no words for (written
// by a newer or an older one) still reads as words.
function keyWords(key: string) {
  return key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase();
}

// Details are read in the order of detailWords, then any others: PostgreSQL's JSONB keeps
// an object's keys in an order of its own, not the order they were written in.
const DETAIL_ORDER = Object.keys(detailWords);
const rank = (key: string) => (DETAIL_ORDER.includes(key) ? DETAIL_ORDER.indexOf(key) : DETAIL_ORDER.length);

// An event's stored details as phrases.
export function auditDetailText(event: AuditEventText): string[] {
  const data = event.data ?? {};
  const entries = Object.entries(data).sort(([a], [b]) => rank(a) - rank(b));
  return entries.flatMap(([key, value]) => {
    const words = detailWords[key];
    const phrase = words ? words(value, { type: event.type, data }) : `${keyWords(key)}: ${valueWords(value)}`;
    return phrase === null ? [] : [phrase];
  });
}
