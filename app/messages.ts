import type { PasswordProblem } from "@/lib/password";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/config";

export const passwordProblemText: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: "This password is too common. Choose one that is not on lists of leaked passwords.",
  contains_email: "Don't use your email address in your password.",
};

export const signInErrorText = {
  invalid_credentials: "Incorrect email or password.",
  account_disabled: "This account has been disabled. Ask an administrator of your organisation.",
  challenge_expired: "Your sign-in took too long. Please start again.",
} as const;

export function retryText(seconds: number) {
  if (seconds < 60) return `Too many attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
