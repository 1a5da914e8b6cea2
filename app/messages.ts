import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/config";
import type { ErrorCode } from "@/lib/errors";
import { methodLabels, methodName, TWO_FACTOR_METHODS } from "@/lib/methods";
import type { PasswordProblem } from "@/lib/password";
import type { CodeSource } from "@/lib/second-factor";

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
} as const;

// Why an SMS user's code came by email, from what the challenge recorded.
export function codeFallbackText(fallback: keyof typeof fallbackReason, code: "the code" | "a new code" = "the code") {
  return `${fallbackReason[fallback]}, so we emailed ${code} instead.`;
}

export const LOCKED_HELP = "An administrator of your organisation can unlock you sooner.";

type SecondFactorFailure = { error: string; attemptsLeft?: number; lockedUntil?: Date; source?: CodeSource };

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
  const left =
    result.attemptsLeft !== undefined && result.attemptsLeft <= 3
      ? ` ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? "" : "s"} left before sign-in is locked for 15 minutes.`
      : "";
  const source = result.source ?? "app";
  switch (result.error) {
    case "locked":
      return `Too many failed attempts. Two-factor sign-in is locked${result.lockedUntil ? ` until ${timeText(result.lockedUntil)}` : " for 15 minutes"}. ${LOCKED_HELP} We've emailed you about it.`;
    case "invalid_format":
      return `${formatText[source]}${left}`;
    case "replayed":
      return `That code was already used. Wait for the next code in your app.${left}`;
    default:
      return `${invalidText[source]}${left}`;
  }
}

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
  invalid_phone: "Enter the phone number with its country code, like +44 7700 900123.",
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
