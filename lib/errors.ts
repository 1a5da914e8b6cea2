// Stable codes for expected failures. The domain returns them; the UI maps them to words.
export const ErrorCode = {
  invalidCredentials: "invalid_credentials",
  rateLimited: "rate_limited",
  accountDisabled: "account_disabled",
  setupClosed: "setup_closed",
  wrongPassword: "wrong_password",
  weakPassword: "weak_password",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
