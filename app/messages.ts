import type { AuditData, AuditType } from "@/lib/audit";
import {
  DELIVERED_CODE_MAX_WRONG,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SECOND_FACTOR_LOCKOUT_MS,
} from "@/lib/config";
import type { ErrorCode } from "@/lib/errors";
import { isTwoFactorMethod, methodLabels, methodName, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/methods";
import type { PasswordProblem } from "@/lib/password";
import { countryName, type RefusedPhoneType } from "@/lib/phone";
import type { CodeSource } from "@/lib/second-factor";
import type { SessionEndReason } from "@/lib/session";
import { formatDateTime } from "@/lib/user-agent";

export const passwordProblemText: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: "This password is too common. Choose one that is not on lists of leaked passwords.",
  contains_email: "Don't use your email address in your password.",
};

export const signInErrorText: Record<
  ErrorCode & ("invalid_credentials" | "account_disabled" | "challenge_expired" | "passkey_only"),
  string
> = {
  passkey_only:
    "Your only second factor is a passkey or security key, which needs a browser. Create a personal access token in My Profile to use the API.",
  invalid_credentials: "Incorrect email or password.",
  account_disabled: "This account has been disabled. Ask an administrator of your organisation.",
  challenge_expired: "Your sign-in took too long. Please start again.",
};

export function tryAgainText(seconds: number) {
  if (seconds < 60) return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function retryText(seconds: number) {
  return `Too many attempts. ${tryAgainText(seconds)}`;
}

// "Resend code" pressed too soon, at sign-in or while setting up SMS or email codes.
export function resendWaitText(seconds: number) {
  return `Please wait ${seconds} second${seconds === 1 ? "" : "s"} before asking for another code.`;
}

function timeText(date: Date) {
  return `${new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" }).format(date)} UTC`;
}

// A text past the hourly SMS caps, when setting up SMS codes (no fallback proves a phone).
export function smsLimitText(seconds: number) {
  return `You've had several texts this hour, so we can't send another yet. ${tryAgainText(seconds)} Or choose another method.`;
}

// Sign-in codes sent by email past their hourly cap.
export function codeEmailLimitText(seconds: number) {
  return `We've sent you many sign-in codes this hour, so we won't send another yet. ${tryAgainText(seconds)}`;
}

const fallbackReason = {
  sms_failed: "We couldn't send a text message",
  sms_limit: "You've had several texts this hour",
  sms_country_limit: "Many texts have gone to your phone number's country this hour",
  sms_country: "Your organisation no longer sends texts to your phone number's country",
} as const;

// What to do when texts will not come back by waiting.
const fallbackAdvice: Partial<Record<keyof typeof fallbackReason, string>> = {
  sms_country: " Once you're in, choose another method in My Profile.",
};

// Why an SMS user's code came by email, from what the challenge recorded.
export function codeFallbackText(fallback: keyof typeof fallbackReason, code: "the code" | "a new code" = "the code") {
  return `${fallbackReason[fallback]}, so we emailed ${code} instead.${fallbackAdvice[fallback] ?? ""}`;
}

function listText(words: string[], last: "and" | "or") {
  return words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}

// A setup's text past the hourly cap on texts to the number's country (README "Where texts may go").
export function smsCountryLimitText(seconds: number) {
  return `Many texts have gone to numbers in that country this hour, so we can't send another yet. ${tryAgainText(seconds)} Or choose another method.`;
}

// A number in a country the account does not text; the allowed ones named while they are few.
export function smsCountryText(country: string | undefined, allowed: string[]) {
  const where = country ? `numbers in ${countryName(country)}` : "that number";
  const instead =
    allowed.length > 0 && allowed.length <= 5
      ? `Use a number in ${listText(allowed.map(countryName), "or")}, or choose another method.`
      : "Use a number in a country it allows, or choose another method.";
  return `Your organisation doesn't send texts to ${where}. ${instead}`;
}

const phoneTypeName: Record<RefusedPhoneType, string> = {
  premium_rate: "a premium-rate number",
  shared_cost: "a shared-cost number",
  personal_number: "a personal (call forwarding) number",
  uan: "a company's single access number",
  voicemail: "a voicemail access number",
  pager: "a pager number",
};

// A number of a kind never texted (lib/phone.ts refusedPhoneType).
export function phoneTypeText(type: RefusedPhoneType) {
  return `That is ${phoneTypeName[type]}. We don't text premium-rate, shared-cost or other service numbers: texts to them can cost far more than to a mobile. Enter your own mobile number.`;
}

export const LOCKED_HELP = "An administrator of your organisation can unlock you sooner.";

// The second step's two limits, said before they bite and where they do, from
// what the server recorded (lib/lockout.ts, lib/delivered-code.ts). Only the lock's end
// differs between the page (the reader's time, <LocalTime>) and the API (UTC).
const LOCK_MINUTES = SECOND_FACTOR_LOCKOUT_MS / 60_000;
const ordinal = (n: number) =>
  `${n}${[11, 12, 13].includes(n % 100) ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th")}`;
// "n attempts left" before the lock is said once this few remain.
const FEW_ATTEMPTS_LEFT = 3;
export const LOCKED_TEXT = {
  // Followed by the time the lock ends.
  lead: "Too many failed attempts in a row, so two-factor sign-in is locked until",
  rule: "Until then no code is accepted, not even a recovery code or a passkey.",
  emailed: "We've emailed you about it.",
};
export const SIGN_IN_CODES_RULE = `You can try ${DELIVERED_CODE_MAX_WRONG} codes in this sign-in. Resending a code doesn't add more.`;
export const SIGN_IN_CODES_USED_UP = `That was the ${ordinal(DELIVERED_CODE_MAX_WRONG)} wrong code, so this sign-in has ended. Sign in again with your password and we'll send a new code.`;

function lockedText(lock: { until: Date; emailed: boolean }) {
  return [`${LOCKED_TEXT.lead} ${timeText(lock.until)}.`, LOCKED_TEXT.rule, LOCKED_HELP]
    .concat(lock.emailed ? [LOCKED_TEXT.emailed] : [])
    .join(" ");
}

// The limit that will stop the person first: the lock when few attempts remain before
// it (and when both would stop them at once), else the sign-in's own texted codes.
function attemptsLeftText({ attemptsLeft, signInTriesLeft }: { attemptsLeft?: number; signInTriesLeft?: number }) {
  if (
    attemptsLeft !== undefined &&
    attemptsLeft <= FEW_ATTEMPTS_LEFT &&
    (signInTriesLeft === undefined || attemptsLeft <= signInTriesLeft)
  )
    return ` ${attemptsLeft} attempt${attemptsLeft === 1 ? "" : "s"} left before two-factor sign-in is locked for ${LOCK_MINUTES} minutes.`;
  if (signInTriesLeft !== undefined)
    return ` ${signInTriesLeft} ${signInTriesLeft === 1 ? "try" : "tries"} left in this sign-in.`;
  return "";
}

type SecondFactorFailure = {
  error: string;
  attemptsLeft?: number;
  signInTriesLeft?: number;
  lockedUntil?: Date;
  emailed?: boolean;
  source?: CodeSource;
};

// Each refusal names where the code came from: the app, a text, an email or a recovery code.
const formatText: Record<CodeSource, string> = {
  app: "Enter the 6-digit code from your app, digits only.",
  sms: "Enter the 6-digit code from your text message, digits only.",
  email: "Enter the 6-digit code from the email, digits only.",
  recovery: "Recovery codes look like 3f9a-0c41-b7e2-58d6: 16 letters a–f and digits.",
  passkey: "Your passkey or security key wasn't accepted. Try again, or try another way.",
};
const invalidText: Record<CodeSource, string> = {
  app: "That code is not valid. Check your app and try again.",
  sms: "That code is not valid. Check your texts for the newest code and try again.",
  email: "That code is not valid. Check your email for the newest code and try again.",
  recovery: "That recovery code is not valid or was already used. Check it and try again.",
  passkey: "Your passkey or security key wasn't accepted. Try again, or try another way.",
};

export function secondFactorErrorText(result: SecondFactorFailure): string {
  const left = attemptsLeftText(result);
  const source = result.source ?? "app";
  switch (result.error) {
    case "locked":
      return result.lockedUntil
        ? lockedText({ until: result.lockedUntil, emailed: result.emailed ?? false })
        : `Too many failed attempts in a row, so two-factor sign-in is locked for ${LOCK_MINUTES} minutes. ${LOCKED_TEXT.rule} ${LOCKED_HELP}`;
    case "too_many_attempts":
      return SIGN_IN_CODES_USED_UP;
    case "invalid_format":
      return `${formatText[source]}${left}`;
    case "replayed":
      return `That code was already used. Wait for the next code in your app.${left}`;
    default:
      return `${invalidText[source]}${left}`;
  }
}

// Why this browser's session ended, when someone else ended it (lib/session.ts
// keeps the reason under the session token's hash). Never who.
export const sessionEndedText: Record<SessionEndReason, string> = {
  admin: "An administrator of your organisation ended your session. Sign in again to continue.",
  signed_out_elsewhere:
    "This browser was signed out from another browser or device signed in to your account. Sign in again to continue.",
  password_changed:
    "Your password was changed from another browser or device, which signed this one out. Sign in with your new password.",
  password_reset:
    "Your password was reset with an emailed link, which signs out every browser. Sign in with your new password.",
  two_factor_changed:
    "Two-factor authentication was changed from another browser or device, which signed this one out. Sign in again to continue.",
};

export const INVALID_PHONE_TEXT =
  "That is not a mobile number we can text. Choose its country and enter the number, or start it with + and the country code.";

// Words for the codes lib/ returns (lib/errors.ts) where one sentence fits every page;
// codes that need numbers or context have their own function above.
const errorText: Partial<Record<ErrorCode, string>> = {
  forbidden: "Only administrators of this account can do that.",
  not_found: "That user is not in this account.",
  owner: "The owner's role and access can't be changed.",
  self: "You can't do that to your own account.",
  last_admin:
    "This is the last administrator with two-factor authentication: make someone else an administrator first.",
  email_taken: "Someone with that email address already has an account.",
  invalid_phone: INVALID_PHONE_TEXT,
  sms_country_not_allowed:
    "This account doesn't send texts to that number's country. Allow the country in Account settings → Advanced, or use a number in a country it allows.",
  phone_type_not_allowed:
    "We don't text premium-rate, shared-cost or other service numbers: texts to them can cost far more than to a mobile. Enter their own mobile number.",
  phone_required: "Enter the phone number the codes should be texted to, with its country code.",
  method_not_allowed: "That method is not allowed in this account.",
  passkey_not_allowed: "To require passkeys, allow “Passkey or security key” among the methods too.",
  already_joined: "They have already joined: there is no invitation to send or revoke.",
  no_invitation: "There is no pending invitation to revoke.",
  same_email: "That is already the address of this account.",
};

export function adminErrorText(code: ErrorCode) {
  return errorText[code] ?? "That could not be done. Nothing was changed.";
}

export const twoFactorStatusText: Record<string, string> = {
  ...Object.fromEntries(TWO_FACTOR_METHODS.map((method) => [methodName(method), methodLabels[method].short])),
  none: "None",
  exempt: "Exempt",
};

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
  "sms.limit_changed": (value) => numberOr(value, (n) => (n === 0 ? "no texts" : `${plural(n, "text")} an hour`)),
  "two_factor.preference_changed": (value) => (value === null ? "no method chosen" : valueWords(value)),
  // Addresses as they are: an underscore is part of one.
  "email.changed": String,
  "email.change_requested": String,
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
