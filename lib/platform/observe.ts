import { logger } from "./logger";
import { messages, passwordRateLimited, secondStepLockouts, signIns } from "./metrics";

// The notable events of README "Logs" and "Metrics", each logged as its own line and
// counted, from the place in lib/ where it happens. A line names the user by id at most,
// never by address or email, and carries no code, token or link.

// How a sign-in attempt ended. `locked`: refused because the second step is locked;
// `passwordless`: a session made by "Sign in with a passkey".
type SignInOutcome = "password_failed" | "second_step_failed" | "locked" | "succeeded" | "passwordless";
// What decided it: the password, the second factor tried (a recovery code included), or
// `none` for a sign-in that needed no second step.
type SignInMethod = "password" | "totp" | "sms" | "email" | "recovery" | "passkey" | "none";

export function observeSignIn(outcome: SignInOutcome, method: SignInMethod, userId?: string) {
  signIns.inc({ outcome, method });
  const level = outcome === "succeeded" || outcome === "passwordless" ? "info" : "warn";
  logger[level]({ event: "sign_in", outcome, method, userId }, `sign-in ${outcome.replaceAll("_", " ")}`);
}

export function observeLockout(userId: string, until: Date) {
  secondStepLockouts.inc();
  logger.warn({ event: "second_step_locked", userId, until: until.toISOString() }, "second step locked");
}

export function observePasswordRateLimited(retryAfterSeconds: number) {
  passwordRateLimited.inc();
  logger.warn({ event: "password_rate_limited", retryAfterSeconds }, "password attempt refused by a rate limit");
}

// A text or email handed on. A failure names the delivery record, whose `error` says
// what the provider answered; the line itself has neither the recipient nor the body.
export function observeMessage(options: {
  channel: "sms" | "email";
  sent: boolean;
  provider: string;
  messageId: string;
}) {
  const { channel, sent, provider, messageId } = options;
  messages.inc({ channel, result: sent ? "sent" : "failed" });
  if (sent) logger.debug({ event: "message_sent", channel, provider, messageId }, `${channel} sent`);
  else logger.warn({ event: "delivery_failed", channel, provider, messageId }, `${channel} could not be sent`);
}
