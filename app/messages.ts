import {
  DELIVERED_CODE_MAX_WRONG,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SECOND_FACTOR_LOCKOUT_MS,
} from "@/lib/config";
import type { ErrorCode } from "@/lib/errors";
import { methodLabels, methodName, TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import type { CodeSource } from "@/lib/factors/verifier";
import { countryName, type RefusedPhoneType } from "@/lib/messages/phone";
import type { SessionEndReason } from "@/lib/sessions/sessions";
import type { PasswordProblem } from "@/lib/sign-in/password";

export const passwordProblemText: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: "This password is too common. Choose one that is not on lists of leaked passwords.",
  contains_email: "Don't use your email address in your password.",
};

// Under a new password's field. The pages pass these to their forms, so no client bundle
// takes in this module and the phone library behind it.
export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`;
export const FIRST_PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.`;
export const PASSWORDS_DIFFER_TEXT = "The passwords don't match.";

// What an action answers when sudo mode has lapsed (README "Sudo mode").
export const SUDO_EXPIRED_TEXT = "For your security, confirm it's you again: reload the page.";

// Sentences that several forms' actions answer with.
export const formText = {
  tooLong100: "Use at most 100 characters.",
  nameMissing: "Enter your name.",
  emailMissing: "Enter your email address.",
  emailTooLong: "That email address is too long.",
  emailInvalid: "Enter a valid email address.",
  passwordMissing: "Enter your password.",
  passwordWrong: "That password is incorrect.",
  currentPasswordWrong: "Your current password is incorrect.",
  appCodeInvalid: "That code is not valid. Enter the 6-digit code your app shows now.",
  methodNotAllowed: "Your organisation doesn't allow this method.",
  passkeysNotAllowed: "Your organisation doesn't allow passkeys.",
  passkeyName: "Give the passkey a name of up to 64 characters.",
  saved: "Saved.",
  number: "Enter a number.",
  wholeNumber: "Enter a whole number.",
  days: "Enter a number of days.",
  wholeDays: "Enter whole days.",
  countries: "Choose countries from the list.",
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

// A code that could not be sent: at sign-in (the page, a resend, the API) and while setting up SMS or email codes.
export const codeNotSentText = {
  signIn: "We couldn't send your sign-in code by SMS or email. Please try again in a few minutes.",
  signInApi: "We couldn't send your sign-in code by SMS or email. Try again in a few minutes.",
  resend: "We couldn't send a code by SMS or email. Please try again in a few minutes.",
  setupSms: "We couldn't send a text message to that number. Check it, or choose another method.",
  setupEmail: "We couldn't send the email. Try again in a few minutes.",
  setupResend: "We couldn't send a new code. Try again in a few minutes.",
};

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

export function listText(words: string[], last: "and" | "or") {
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

// A number of a kind never texted (lib/messages/phone.ts refusedPhoneType).
export function phoneTypeText(type: RefusedPhoneType) {
  return `That is ${phoneTypeName[type]}. We don't text premium-rate, shared-cost or other service numbers: texts to them can cost far more than to a mobile. Enter your own mobile number.`;
}

export const LOCKED_HELP = "An administrator of your organisation can unlock you sooner.";

// The second step's two limits, said before they bite and where they do, from
// what the server recorded (lib/sign-in/lockout.ts, lib/factors/sms-email/sign-in-codes.ts). Only the lock's end
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
const PASSKEY_REFUSED = "Your passkey or security key wasn't accepted. Try again, or try another way.";
const formatText: Record<CodeSource, string> = {
  app: "Enter the 6-digit code from your app, digits only.",
  sms: "Enter the 6-digit code from your text message, digits only.",
  email: "Enter the 6-digit code from the email, digits only.",
  recovery: "Recovery codes look like 3f9a-0c41-b7e2-58d6: 16 letters a–f and digits.",
  passkey: PASSKEY_REFUSED,
};
const invalidText: Record<CodeSource, string> = {
  app: "That code is not valid. Check your app and try again.",
  sms: "That code is not valid. Check your texts for the newest code and try again.",
  email: "That code is not valid. Check your email for the newest code and try again.",
  recovery: "That recovery code is not valid or was already used. Check it and try again.",
  passkey: PASSKEY_REFUSED,
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
    case "user_verification_required":
      return `That passkey didn't check it's you (no fingerprint, face or PIN). Use one that does, or another way.${left}`;
    default:
      return `${invalidText[source]}${left}`;
  }
}

// Why this browser's session ended, when someone else ended it (lib/sessions/sessions.ts
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
