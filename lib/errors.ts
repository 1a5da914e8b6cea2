// Stable codes for expected failures. The domain returns them; the UI maps them to words.
export const ErrorCode = {
  invalidCredentials: "invalid_credentials",
  rateLimited: "rate_limited",
  accountDisabled: "account_disabled",
  challengeExpired: "challenge_expired",
  setupClosed: "setup_closed",
  emailTaken: "email_taken",
  wrongPassword: "wrong_password",
  weakPassword: "weak_password",
  notFound: "not_found",
  forbidden: "forbidden",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
