// Property: a browser whose session someone else ended is told why, from a record only it can read; the acting browser and plain sign-out get none.
import { describe, expect, it } from "vitest";
import { clearAllSessions } from "@/lib/account/settings";
import { addSecondFactor } from "@/lib/factors/enrolled";
import { disableTwoFactor } from "@/lib/factors/removal";
import { readMessageBody } from "@/lib/messages/outbox";
import { changePassword, signOutOtherSessions, signOutSession } from "@/lib/people/profile";
import { expireSessions, resetTwoFactor } from "@/lib/people/user-admin";
import { db } from "@/lib/platform/db";
import {
  createSession,
  readSessionEndReason,
  revokeSessionByToken,
  validateSessionToken,
} from "@/lib/sessions/sessions";
import { resetPassword, sendPasswordResetLink } from "@/lib/sign-in/password-reset";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request, TEST_PASSWORD } from "../factories";

// Issue 16, point 9: a browser whose session was ended by someone else is told why on
// the sign-in page. The server decides from a record it keeps under the ended session's
// token hash, so only the browser that held the session can read it, and a link or a
// query parameter cannot claim it. These tests pin which act leaves which reason, and
// that the acting browser itself and a plain sign-out leave none.

const DAY = 24 * 60 * 60_000;

async function signedIn(userId: string) {
  return (await createSession(db, { userId, request })).token;
}

describe("why a session ended", () => {
  it("an admin's Expire sessions: every session of the user reads 'admin'", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    const tokens = [await signedIn(member.id), await signedIn(member.id)];
    const adminToken = await signedIn(admin.id);
    expect(await expireSessions({ actor: admin, userId: member.id, request })).toEqual({ ok: true, count: 2 });
    for (const token of tokens) {
      expect(await validateSessionToken(token)).toBeNull();
      expect(await readSessionEndReason(token)).toBe("admin");
    }
    expect(await validateSessionToken(adminToken)).not.toBeNull();
    expect(await readSessionEndReason(adminToken)).toBeNull();
  });

  it("Clear all sessions: every session in the account reads 'admin', none elsewhere", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    const outsider = await createUser();
    const inAccount = [await signedIn(admin.id), await signedIn(member.id)];
    const outside = await signedIn(outsider.id);
    await clearAllSessions({ actor: admin, request });
    for (const token of inAccount) expect(await readSessionEndReason(token)).toBe("admin");
    expect(await validateSessionToken(outside)).not.toBeNull();
    expect(await readSessionEndReason(outside)).toBeNull();
  });

  it("an admin's Reset 2FA reads 'admin'", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { user } = await createUserWithTotp({ at: new Date(), accountId: admin.accountId });
    await db.user.update({ where: { id: user.id }, data: { role: "MEMBER" } });
    const token = await signedIn(user.id);
    expect((await resetTwoFactor({ actor: admin, userId: user.id, request })).ok).toBe(true);
    expect(await readSessionEndReason(token)).toBe("admin");
  });

  it("the user's own acts elsewhere: signing out others or one session, a new password, a reset, a 2FA change", async () => {
    const user = await createUser();
    const keep = await createSession(db, { userId: user.id, request });

    const other = await signedIn(user.id);
    await signOutOtherSessions({
      userId: user.id,
      accountId: user.accountId,
      keepSessionId: keep.session.id,
      revokeTokens: false,
      request,
    });
    expect(await readSessionEndReason(other)).toBe("signed_out_elsewhere");
    // The browser that acted is still signed in, and has nothing to be told.
    expect(await validateSessionToken(keep.token)).not.toBeNull();
    expect(await readSessionEndReason(keep.token)).toBeNull();

    const one = await createSession(db, { userId: user.id, request });
    await signOutSession({ userId: user.id, accountId: user.accountId, sessionId: one.session.id, request });
    expect(await readSessionEndReason(one.token)).toBe("signed_out_elsewhere");

    const beforePasswordChange = await signedIn(user.id);
    const changed = await changePassword({
      userId: user.id,
      sessionId: keep.session.id,
      currentPassword: TEST_PASSWORD,
      newPassword: "a completely different passphrase",
      request,
    });
    expect(changed.ok).toBe(true);
    expect(await readSessionEndReason(beforePasswordChange)).toBe("password_changed");

    const beforeReset = await signedIn(user.id);
    await sendPasswordResetLink({ email: user.email, request });
    const mail = await db.outboundMessage.findFirstOrThrow({
      where: { to: user.email, subject: "Reset your StrongSign password" },
    });
    const link = readMessageBody(mail)!.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
    expect(await resetPassword({ token: link, password: "yet another long passphrase", request })).toMatchObject({
      ok: true,
    });
    expect(await readSessionEndReason(beforeReset)).toBe("password_reset");
    expect(await readSessionEndReason(keep.token)).toBe("password_reset");

    const current = await createSession(db, { userId: user.id, request });
    const beforeTwoFactor = await signedIn(user.id);
    await db.$transaction((tx) =>
      addSecondFactor(tx, { userId: user.id, method: "email", keepSessionId: current.session.id, now: new Date() }),
    );
    expect(await readSessionEndReason(beforeTwoFactor)).toBe("two_factor_changed");
    expect(await readSessionEndReason(current.token)).toBeNull();
  });

  it("turning 2FA off ends the other sessions as a 2FA change", async () => {
    const { user, secret } = await createUserWithTotp({ at: new Date(Date.now() - 60_000) });
    const current = await createSession(db, { userId: user.id, request });
    const other = await signedIn(user.id);
    const result = await disableTwoFactor({
      userId: user.id,
      sessionId: current.session.id,
      password: TEST_PASSWORD,
      code: totp(secret),
      request,
    });
    expect(result).toEqual({ ok: true });
    expect(await readSessionEndReason(other)).toBe("two_factor_changed");
  });

  it("leaves nothing to say for a plain sign-out, an expired session or an unknown token", async () => {
    const user = await createUser();
    const signedOut = await signedIn(user.id);
    await revokeSessionByToken(signedOut);
    expect(await readSessionEndReason(signedOut)).toBeNull();

    const now = new Date();
    const { token: expired } = await createSession(db, { userId: user.id, request, now });
    expect(await validateSessionToken(expired, new Date(now.getTime() + 91 * DAY))).toBeNull();
    expect(await readSessionEndReason(expired)).toBeNull();

    expect(await readSessionEndReason("not-a-token")).toBeNull();
    expect(await readSessionEndReason("")).toBeNull();
    expect(await readSessionEndReason("x".repeat(5000))).toBeNull();
  });

  it("tells no longer than the session would have lived", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    await db.account.update({ where: { id: admin.accountId }, data: { sessionDurationDays: 7 } });
    const token = await signedIn(member.id);
    await expireSessions({ actor: admin, userId: member.id, request });
    expect(await readSessionEndReason(token, new Date(Date.now() + 6 * DAY))).toBe("admin");
    expect(await readSessionEndReason(token, new Date(Date.now() + 8 * DAY))).toBeNull();
  });
});
