import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "@/lib/api/token-revocation";
import { AuditType, audit } from "@/lib/audit/record";
import {
  PASSWORD_RESET_TTL_MS,
  PASSWORD_RESETS_PER_EMAIL_PER_HOUR,
  PASSWORD_RESETS_PER_IP_PER_HOUR,
} from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { limitGroup } from "@/lib/platform/client-address";
import { hashToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import { takeHourlyQuotas } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { revokeOtherSessions } from "@/lib/sessions/sessions";
import { issueEmailedLink } from "./emailed-link";
import { discardPendingChallenges } from "./login-challenge";
import { checkPasswordPolicy, hashPassword, type PasswordProblem } from "./password";
import { normalizeEmail } from "./password-step";
import { forgetRememberedBrowsers } from "./remembered-browser";

// "Forgot password?" (docs/security-model.md, "Sign-in"): a single-use link by email, valid
// one hour. Asking never reveals whether an address has an account: the answer and its
// timing are the same, because the link is made and sent after the answer (see the action).
// A reset ends every session, pending sign-in and remembered browser, never signs the user
// in, and never turns 2FA off.

const MAX_TOKEN_LENGTH = 128;

// Counts the request against the address and the IP, whether or not anyone has that
// address, so the limit itself tells nothing either.
export async function allowPasswordResetRequest(options: { email: string; request: RequestInfo; now?: Date }) {
  return takeHourlyQuotas(
    [
      { key: `reset:email:${normalizeEmail(options.email)}`, limit: PASSWORD_RESETS_PER_EMAIL_PER_HOUR },
      { key: `reset:ip:${limitGroup(options.request.ip)}`, limit: PASSWORD_RESETS_PER_IP_PER_HOUR },
    ],
    options.now,
  );
}

// Emails a reset link to an active user with a password; does nothing for anyone else.
export async function sendPasswordResetLink(options: { email: string; request: RequestInfo; now?: Date }) {
  const issued = await issueEmailedLink({
    ...options,
    email: normalizeEmail(options.email),
    ttlMs: PASSWORD_RESET_TTL_MS,
    auditType: AuditType.passwordResetRequested,
    create: (tx, data) => tx.passwordReset.create({ data }),
  });
  if (!issued) return;
  const { user, token } = issued;
  await sendEmail({ to: user.email, userId: user.id, ...emails.passwordReset({ name: user.name, token }) });
}

// Unused links die whenever the password is set, by a reset or by the user in My Profile,
// so a link asked for earlier cannot undo the change.
export async function expireResetLinks(tx: Tx, userId: string, now = new Date()) {
  await tx.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
}

async function liveReset(token: string, now: Date) {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const reset = await db.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!reset || reset.usedAt || reset.expiresAt <= now || reset.user.disabledAt) return null;
  return reset;
}

// For the reset page: the address the link is for, or null when it is no longer valid.
export async function findPasswordReset(token: string, now = new Date()) {
  const reset = await liveReset(token, now);
  return reset ? { email: reset.user.email } : null;
}

export type ResetResult =
  | { ok: true }
  | { ok: false; error: typeof ErrorCode.invalidOrExpired }
  | { ok: false; error: typeof ErrorCode.weakPassword; problem: PasswordProblem };

export async function resetPassword(options: {
  token: string;
  password: string;
  request: RequestInfo;
  now?: Date;
}): Promise<ResetResult> {
  const now = options.now ?? new Date();
  const reset = await liveReset(options.token, now);
  if (!reset) return { ok: false, error: ErrorCode.invalidOrExpired };
  const { user } = reset;
  const problem = checkPasswordPolicy(options.password, { email: user.email });
  if (problem) return { ok: false, error: ErrorCode.weakPassword, problem };
  const passwordHash = await hashPassword(options.password);
  const revoked = await db.$transaction(async (tx) => {
    // Single use: of simultaneous submissions one finds usedAt still null.
    const { count } = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    await expireResetLinks(tx, user.id, now);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now } });
    const sessionsEnded = await revokeOtherSessions(tx, { userId: user.id, reason: "password_reset" });
    await discardPendingChallenges(tx, user.id, now);
    await forgetRememberedBrowsers(tx, { userId: user.id });
    const tokens = await revokeLiveAccessTokens(tx, { userId: user.id, now });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.passwordReset,
      actorId: user.id,
      targetId: user.id,
      request: options.request,
      data: { sessionsEnded, tokensRevoked: countTokens(tokens) },
    });
    return tokens;
  });
  if (!revoked) return { ok: false, error: ErrorCode.invalidOrExpired };
  await sendEmail({
    to: user.email,
    userId: user.id,
    ...emails.passwordChanged({ name: user.name, ip: options.request.ip }),
  });
  await emailRevokedTokens(revoked, "Your password was reset");
  return { ok: true };
}
