// Property: each recovery action revokes the user's API tokens (sign-outs only if asked) and emails which; enabling 2FA keeps only the confirming session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearAllSessions } from "@/lib/account/settings";
import { authenticateBearer, createAccessToken, listAccessTokens, revokeAccessToken } from "@/lib/api/access-tokens";
import { auditData as dataOf } from "@/lib/audit/record";
import { confirmDeliveredSetup, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { confirmTotpSetup, createTotpSetup } from "@/lib/factors/totp";
import { formatDateTime } from "@/lib/format/user-agent";
import { signOutOtherSessions } from "@/lib/people/profile";
import { resetTwoFactor, setDisabled } from "@/lib/people/user-admin";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { resetPassword, sendPasswordResetLink } from "@/lib/sign-in/password-reset";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request } from "../factories";
import { startFakeServer } from "../fake-server";

// The attack: someone who had the account (a phished password, a stolen phone) makes a
// personal access token, or keeps a session or API sign-in token, and holds on to the
// account through the API after its owner recovers it. Each recovery action must leave
// none of it working, and tell the owner which tokens it revoked.

// Email goes to a local Resend stand-in, so the test reads what a person would receive.
let mail: Awaited<ReturnType<typeof startFakeServer>>;

beforeAll(async () => {
  mail = await startFakeServer(() => ({ status: 200, json: { id: "msg" } }));
  process.env.RESEND_BASE_URL = mail.url;
  process.env.RESEND_API_KEY = "re_test_key";
});

afterAll(() => mail.close());

function emailsTo(to: string, subject: string) {
  return mail.received
    .map((r) => JSON.parse(r.body) as { to: string; subject: string; text: string })
    .filter((m) => m.to === to && m.subject === subject);
}

const REVOKED = "Your personal access tokens were revoked";

async function makeToken(userId: string, name: string, options: { expiresInDays?: number; now?: Date } = {}) {
  const result = await createAccessToken({
    userId,
    name,
    scopes: ["read"],
    expiresInDays: options.expiresInDays ?? 30,
    request,
    now: options.now,
  });
  if (!result.ok) throw new Error(result.error);
  const row = await db.accessToken.findUniqueOrThrow({ where: { id: result.id } });
  return { value: result.token, createdAt: row.createdAt };
}

const works = async (token: string) => (await authenticateBearer(`Bearer ${token}`)) !== null;

async function auditData(targetId: string, type: string) {
  const events = await db.auditEvent.findMany({ where: { targetId, type } });
  expect(events).toHaveLength(1);
  return dataOf(events[0]) ?? {};
}

describe("recovery actions revoke personal access tokens", () => {
  it("a password reset revokes every live token and emails their names and dates, never their values", async () => {
    const user = await createUser();
    const deploy = await makeToken(user.id, "CI deploy");
    const backup = await makeToken(user.id, 'Backup "nightly"');
    const longAgo = new Date(Date.now() - 40 * 24 * 60 * 60_000);
    const expired = await makeToken(user.id, "Expired one", { expiresInDays: 7, now: longAgo });
    const old = await makeToken(user.id, "Revoked earlier");
    const oldId = (await listAccessTokens(user.id)).find((t) => t.name === "Revoked earlier")!.id;
    await revokeAccessToken({ userId: user.id, tokenId: oldId, request });
    const colleague = await createUser({ accountId: user.accountId });
    const theirs = await makeToken(colleague.id, "Colleague's");

    await sendPasswordResetLink({ email: user.email, request });
    const link = emailsTo(user.email, "Reset your StrongSign password")
      .at(-1)!
      .text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
    expect(await resetPassword({ token: link, password: "a brand new lighthouse keeper", request })).toEqual({
      ok: true,
    });

    expect(await works(deploy.value)).toBe(false);
    expect(await works(backup.value)).toBe(false);
    expect(await works(theirs.value)).toBe(true);
    const [email] = emailsTo(user.email, REVOKED);
    expect(email.text).toContain("Your password was reset");
    expect(email.text).toContain(`- "CI deploy", created ${formatDateTime(deploy.createdAt)}`);
    expect(email.text).toContain(`- "Backup \\"nightly\\"", created ${formatDateTime(backup.createdAt)}`);
    for (const absent of ["Expired one", "Revoked earlier", deploy.value, backup.value, expired.value, old.value])
      expect(email.text).not.toContain(absent);
    expect(emailsTo(colleague.email, REVOKED)).toHaveLength(0);
    expect(await auditData(user.id, "password.reset")).toMatchObject({ tokensRevoked: 2 });
  });

  it("an admin's Reset 2FA revokes the user's tokens and emails the list", async () => {
    const admin = await createUser({ role: "OWNER" });
    const { user } = await createUserWithTotp({ at: new Date(), accountId: admin.accountId });
    await db.user.update({ where: { id: user.id }, data: { role: "MEMBER" } });
    const session = await createSession(db, { userId: user.id, request });
    const token = await makeToken(user.id, "Laptop script");
    const mine = await makeToken(admin.id, "Admin's own");

    expect(await resetTwoFactor({ actor: admin, userId: user.id, request })).toEqual({ ok: true });

    expect(await works(token.value)).toBe(false);
    expect(await validateSessionToken(session.token)).toBeNull();
    expect(await works(mine.value)).toBe(true);
    const [email] = emailsTo(user.email, REVOKED);
    expect(email.text).toContain("reset your two-factor authentication");
    expect(email.text).toContain(`"Laptop script", created ${formatDateTime(token.createdAt)}`);
    expect(await auditData(user.id, "two_factor.reset")).toMatchObject({ tokensRevoked: 1, sessionsEnded: 1 });
  });

  it("sign out of all other sessions keeps tokens without the box and revokes them with it", async () => {
    const user = await createUser();
    const current = await createSession(db, { userId: user.id, request });
    const otherBrowser = await createSession(db, { userId: user.id, request });
    const apiSignIn = await createSession(db, { userId: user.id, request });
    const pending = await createLoginChallenge(db, { userId: user.id, pendingFactor: null, request });
    const token = await makeToken(user.id, "Grafana");

    const plain = { userId: user.id, accountId: user.accountId, keepSessionId: current.session.id, request };
    expect(await signOutOtherSessions({ ...plain, revokeTokens: false })).toEqual({
      sessionsEnded: 2,
      tokensRevoked: 0,
    });
    expect(await validateSessionToken(otherBrowser.token)).toBeNull();
    expect(await authenticateBearer(`Bearer ${apiSignIn.token}`)).toBeNull();
    expect(
      (await db.loginChallenge.findUniqueOrThrow({ where: { id: pending.challenge.id } })).consumedAt,
    ).not.toBeNull();
    expect(await validateSessionToken(current.token)).not.toBeNull();
    expect(await works(token.value)).toBe(true);
    expect(emailsTo(user.email, REVOKED)).toHaveLength(0);

    expect(await signOutOtherSessions({ ...plain, revokeTokens: true })).toEqual({
      sessionsEnded: 0,
      tokensRevoked: 1,
    });
    expect(await works(token.value)).toBe(false);
    expect(await validateSessionToken(current.token)).not.toBeNull();
    const [email] = emailsTo(user.email, REVOKED);
    expect(email.text).toContain(`"Grafana", created ${formatDateTime(token.createdAt)}`);
    const events = await db.auditEvent.findMany({
      where: { targetId: user.id, type: "session.others_revoked" },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => dataOf(e)!.tokensRevoked)).toEqual([0, 1]);
  });

  it("clear all sessions with the box revokes every user's tokens in the account, emailing each; without it they survive", async () => {
    const admin = await createUser({ role: "OWNER" });
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    const outsider = await createUser();
    const adminToken = await makeToken(admin.id, "Admin export");
    const memberToken = await makeToken(member.id, "Member sync");
    const outsiderToken = await makeToken(outsider.id, "Elsewhere");

    expect(await clearAllSessions({ actor: admin, revokeTokens: false, request })).toEqual({
      ok: true,
      count: 0,
      tokensRevoked: 0,
    });
    expect(await works(adminToken.value)).toBe(true);
    expect(await works(memberToken.value)).toBe(true);

    expect(await clearAllSessions({ actor: admin, revokeTokens: true, request })).toEqual({
      ok: true,
      count: 0,
      tokensRevoked: 2,
    });
    expect(await works(adminToken.value)).toBe(false);
    expect(await works(memberToken.value)).toBe(false);
    expect(await works(outsiderToken.value)).toBe(true);
    expect(emailsTo(admin.email, REVOKED)[0].text).toContain('"Admin export"');
    const [toMember] = emailsTo(member.email, REVOKED);
    expect(toMember.text).toContain('"Member sync"');
    expect(toMember.text).not.toContain("Admin export");
    expect(emailsTo(outsider.email, REVOKED)).toHaveLength(0);
    const events = await db.auditEvent.findMany({
      where: { accountId: admin.accountId, type: "sessions.cleared" },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => dataOf(e)!.tokensRevoked)).toEqual([0, 2]);
  });

  it("disabling a user revokes their tokens, so enabling them again brings none back", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    const token = await makeToken(member.id, "Cron job");
    expect(await setDisabled({ actor: admin, userId: member.id, disabled: true, request })).toEqual({ ok: true });
    expect(await setDisabled({ actor: admin, userId: member.id, disabled: false, request })).toEqual({ ok: true });
    expect(await works(token.value)).toBe(false);
    expect(emailsTo(member.email, REVOKED)[0].text).toContain('"Cron job"');
    expect(await auditData(member.id, "user.disabled")).toMatchObject({ tokensRevoked: 1 });
  });
});

describe("enabling 2FA ends the other sessions", () => {
  async function signedInEverywhere() {
    const user = await createUser();
    const current = await createSession(db, { userId: user.id, request });
    const otherBrowser = await createSession(db, { userId: user.id, request });
    const apiSignIn = await createSession(db, { userId: user.id, request });
    const pending = await createLoginChallenge(db, { userId: user.id, pendingFactor: null, request });
    const token = await makeToken(user.id, "Integration");
    return { user, current, otherBrowser, apiSignIn, pending, token };
  }

  async function expectOnlyCurrentLeft(held: Awaited<ReturnType<typeof signedInEverywhere>>) {
    expect(await validateSessionToken(held.current.token)).not.toBeNull();
    expect(await validateSessionToken(held.otherBrowser.token)).toBeNull();
    expect(await authenticateBearer(`Bearer ${held.apiSignIn.token}`)).toBeNull();
    expect(
      (await db.loginChallenge.findUniqueOrThrow({ where: { id: held.pending.challenge.id } })).consumedAt,
    ).not.toBeNull();
    // Personal access tokens stay, as on GitHub and GitLab (README "Which secrets die when").
    expect(await works(held.token.value)).toBe(true);
    expect(await auditData(held.user.id, "two_factor.enabled")).toMatchObject({ sessionsEnded: 2 });
  }

  it("confirming an authenticator app keeps only the browser that confirmed it", async () => {
    const held = await signedInEverywhere();
    const at = new Date();
    const { secret } = await createTotpSetup({ userId: held.user.id, now: at });
    const result = await confirmTotpSetup({
      userId: held.user.id,
      code: totp(secret, at.getTime()),
      keepSessionId: held.current.session.id,
      request,
      now: at,
    });
    expect(result.ok).toBe(true);
    await expectOnlyCurrentLeft(held);
  });

  it("confirming email codes keeps only the browser that confirmed them", async () => {
    const held = await signedInEverywhere();
    expect((await startDeliveredSetup({ userId: held.user.id, method: "email" })).ok).toBe(true);
    const code = emailsTo(held.user.email, "Your StrongSign verification code")
      .at(-1)!
      .text.match(/\b(\d{6})\b/)![1];
    const result = await confirmDeliveredSetup({
      userId: held.user.id,
      code,
      keepSessionId: held.current.session.id,
      request,
    });
    expect(result.ok).toBe(true);
    await expectOnlyCurrentLeft(held);
  });

  it("without the confirming session's id, no session survives", async () => {
    const held = await signedInEverywhere();
    const at = new Date();
    const { secret } = await createTotpSetup({ userId: held.user.id, now: at });
    expect(
      (await confirmTotpSetup({ userId: held.user.id, code: totp(secret, at.getTime()), request, now: at })).ok,
    ).toBe(true);
    expect(await db.session.count({ where: { userId: held.user.id } })).toBe(0);
  });
});
