import { countTokens, emailRevokedTokens, revokeLiveAccessTokens } from "@/lib/api/token-revocation";
import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { db } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { revokeOtherSessions, revokeSession } from "@/lib/sessions/sessions";
import { discardPendingChallenges } from "@/lib/sign-in/login-challenge";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "@/lib/sign-in/password";
import { expireResetLinks } from "@/lib/sign-in/password-reset";
import { forgetRememberedBrowsers } from "@/lib/sign-in/remembered-browser";

export async function updateName(options: { userId: string; name: string; request: RequestInfo }) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: options.userId }, data: { name: options.name } });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.profileUpdated,
      actorId: user.id,
      targetId: user.id,
      request: options.request,
    });
  });
}

// docs/security-model.md, "Sign-in": a password change ends every other session, every
// pending login challenge, every unused reset link and every remembered browser.
export async function changePassword(options: {
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  request: RequestInfo;
}) {
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, options.currentPassword))) {
    return { ok: false as const, error: ErrorCode.wrongPassword };
  }
  const problem = checkPasswordPolicy(options.newPassword, { email: user.email });
  if (problem) return { ok: false as const, error: ErrorCode.weakPassword, problem };
  const passwordHash = await hashPassword(options.newPassword);
  const ended = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    const count = await revokeOtherSessions(tx, {
      userId: user.id,
      keepSessionId: options.sessionId,
      reason: "password_changed",
    });
    await discardPendingChallenges(tx, user.id);
    await expireResetLinks(tx, user.id);
    await forgetRememberedBrowsers(tx, { userId: user.id });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.passwordChanged,
      actorId: user.id,
      targetId: user.id,
      request: options.request,
      data: { sessionsEnded: count },
    });
    return count;
  });
  return { ok: true as const, sessionsEnded: ended };
}

export async function signOutSession(options: {
  userId: string;
  accountId: string;
  sessionId: string;
  request: RequestInfo;
}) {
  return db.$transaction(async (tx) => {
    const revoked = await revokeSession(tx, { userId: options.userId, sessionId: options.sessionId });
    if (revoked)
      await audit(tx, {
        accountId: options.accountId,
        type: AuditType.sessionRevoked,
        actorId: options.userId,
        targetId: options.userId,
        request: options.request,
      });
    return revoked;
  });
}

// Other browsers, API sign-in tokens, half-finished sign-ins and remembered browsers (this
// one's too: someone who fears another had their account wants the second step back
// everywhere) end. Personal access
// tokens are meant to outlive sessions (scripts use them), so they go only when the user
// asks, as someone would who fears another person had their account.
export async function signOutOtherSessions(options: {
  userId: string;
  accountId: string;
  keepSessionId: string;
  revokeTokens: boolean;
  request: RequestInfo;
}) {
  const { count, tokens } = await db.$transaction(async (tx) => {
    const count = await revokeOtherSessions(tx, {
      userId: options.userId,
      keepSessionId: options.keepSessionId,
      reason: "signed_out_elsewhere",
    });
    await discardPendingChallenges(tx, options.userId);
    await forgetRememberedBrowsers(tx, { userId: options.userId });
    const tokens = options.revokeTokens ? await revokeLiveAccessTokens(tx, { userId: options.userId }) : [];
    await audit(tx, {
      accountId: options.accountId,
      type: AuditType.otherSessionsRevoked,
      actorId: options.userId,
      targetId: options.userId,
      request: options.request,
      data: { count, tokensRevoked: countTokens(tokens) },
    });
    return { count, tokens };
  });
  await emailRevokedTokens(tokens, "You signed out of all your other sessions");
  return { sessionsEnded: count, tokensRevoked: countTokens(tokens) };
}
