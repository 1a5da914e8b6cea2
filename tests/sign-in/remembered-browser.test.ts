// Property: a remembered browser skips only the second step, only with its own device cookie, for its own user, within the account's current days and rules, never when locked or disabled, and dies with every event that must end it.
import { describe, expect, it } from "vitest";
import { updateRememberBrowser } from "@/lib/account/settings";
import { listOwnAuditEvents } from "@/lib/audit/log";
import { DAY_MS } from "@/lib/config";
import { disableTwoFactor } from "@/lib/factors/removal";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { startPasskeySecondFactor } from "@/lib/passkeys/assertion";
import { changePassword, signOutOtherSessions } from "@/lib/people/profile";
import { resetTwoFactor, setDisabled, setTwoFactorPreference } from "@/lib/people/user-admin";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { newDeviceToken } from "@/lib/sign-in/known-device";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import { resetPassword, sendPasswordResetLink } from "@/lib/sign-in/password-reset";
import { completeSignIn, passwordStep, type SignInClient } from "@/lib/sign-in/password-step";
import {
  forgetOwnRememberedBrowsers,
  listRememberedBrowsers,
  passWithRememberedBrowser,
  readRememberOffer,
} from "@/lib/sign-in/remembered-browser";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, lastCode, request, TEST_PASSWORD } from "../factories";
import { after, fromNewIp, MINUTE, T0, userWithPasskey } from "./helpers";

// What a browser holds after a sign-in: its device cookie and its remember cookie.
type Browser = { deviceTokens: string[]; rememberToken: string };
// The second step's answer, as verifySecondFactor takes it.
type Answer = { kind: "code" | "recovery"; code: string } | { kind: "passkey"; response: unknown };

const rowsOf = (userId: string) => db.rememberedBrowser.findMany({ where: { userId } });

// A sign-in past its password whose second step is passed with `answer` and "Don't ask for
// a second step on this browser" ticked, finished by `client`.
async function signInTicked(
  userId: string,
  answer: (challengeId: string) => Promise<Answer>,
  options: { pendingFactor?: PendingFactor; client?: SignInClient; remember?: boolean } = {},
) {
  const { token, challenge } = await createLoginChallenge(db, {
    userId,
    pendingFactor: options.pendingFactor ?? "totp",
    request,
    passwordGiven: true,
  });
  const remember = options.remember ?? true;
  const verified = await verifySecondFactor({
    challengeToken: token,
    request,
    remember,
    ...(await answer(challenge.id)),
  });
  expect(verified.ok).toBe(true);
  const client = options.client ?? { kind: "browser", deviceTokens: [] };
  const done = await completeSignIn({ challengeToken: token, request, client });
  if (!done) throw new Error("no session");
  return done;
}

// The browser such a sign-in leaves behind.
async function remember(
  userId: string,
  answer: (challengeId: string) => Promise<Answer>,
  pendingFactor?: PendingFactor,
) {
  const done = await signInTicked(userId, answer, { pendingFactor });
  if (!done.deviceToken || !done.remember) throw new Error("not remembered");
  return { deviceTokens: [done.deviceToken], rememberToken: done.remember.token };
}

// A member with an app and recovery codes, in an account that allows remembering, who
// ticked the box once (with a recovery code: the app's codes stay unused for the test).
async function rememberingUser(options: { accountId?: string } = {}) {
  const { user, secret, recoveryCodes } = await createUserWithTotp({ at: after(-5 * MINUTE), ...options });
  await db.account.update({ where: { id: user.accountId }, data: { rememberBrowserAllowed: true } });
  await db.user.update({ where: { id: user.id }, data: { role: "MEMBER" } });
  const browser = await remember(user.id, async () => ({ kind: "recovery", code: recoveryCodes[0]! }));
  return { user, secret, recoveryCodes, browser };
}

// The password step has just passed for `userId` (a challenge waits for the app): does
// this browser skip the second step?
async function skips(userId: string, browser: Browser, options: { now?: Date; passwordGiven?: boolean } = {}) {
  const { challenge } = await createLoginChallenge(db, {
    userId,
    pendingFactor: "totp",
    request,
    passwordGiven: options.passwordGiven ?? true,
    now: options.now,
  });
  return passWithRememberedBrowser({ challengeId: challenge.id, ...browser, request, now: options.now });
}

const adminOf = (accountId: string) => createUser({ role: "ADMIN", accountId });

describe("remembering a browser", () => {
  it("asks once: the next sign-in needs the password and no second step; the session comes from the challenge", async () => {
    const { user, browser } = await rememberingUser();
    const { deviceTokens } = browser;
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: fromNewIp(), deviceTokens });
    if (!step.ok) throw new Error(step.error);
    expect(step.pendingFactor).toBe("totp");
    expect(await passWithRememberedBrowser({ challengeId: step.challengeId, ...browser, request })).toBe(true);
    const client = { kind: "browser" as const, deviceTokens: browser.deviceTokens };
    const session = await completeSignIn({ challengeToken: step.challengeToken, request, client });
    expect(await validateSessionToken(session!.sessionToken)).not.toBeNull();
    // The challenge is burnt: one session; and passed once.
    expect(await completeSignIn({ challengeToken: step.challengeToken, request, client })).toBeNull();
    expect(await passWithRememberedBrowser({ challengeId: step.challengeId, ...browser, request })).toBe(false);
    // The device cookie keeps its nonce, so the browser stays remembered sign-in after sign-in.
    expect(await skips(user.id, { ...browser, deviceTokens: [session!.deviceToken!] })).toBe(true);
    // The password is always asked: a challenge without it (a passkey sign-in) is not passed,
    // and a wrong password makes no challenge at all.
    expect(await skips(user.id, browser, { passwordGiven: false })).toBe(false);
    const wrong = await passwordStep({ email: user.email, password: "not the password, no", request: fromNewIp() });
    expect(wrong).toEqual({ ok: false, error: "invalid_credentials" });
    const types = (await listOwnAuditEvents({ userId: user.id, paging: {} })).events.map((event) => event.type);
    expect(types.filter((type) => type === "remembered_browser.added")).toHaveLength(1);
    expect(types.filter((type) => type === "remembered_browser.used")).toHaveLength(2);
  });

  it("stores only hashes of its token and of the device cookie's nonce, one row per browser, for the account's days", async () => {
    const { user, recoveryCodes, browser } = await rememberingUser();
    const [row] = await rowsOf(user.id);
    const nonce = browser.deviceTokens[0]!.split(".")[0]!;
    expect(JSON.stringify(row)).not.toContain(browser.rememberToken);
    expect(JSON.stringify(row)).not.toContain(nonce);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(30 * DAY_MS);
    // Remembered again from the same browser: its row is replaced, and the old cookie dies.
    const again = await signInTicked(user.id, async () => ({ kind: "recovery", code: recoveryCodes[1]! }), {
      client: { kind: "browser", deviceTokens: browser.deviceTokens },
    });
    expect(await rowsOf(user.id)).toHaveLength(1);
    expect(await skips(user.id, browser)).toBe(false);
    expect(await skips(user.id, { ...browser, rememberToken: again.remember!.token })).toBe(true);
  });

  it("is not remembered unticked, nor for the API, nor while the account does not allow it", async () => {
    const { user, recoveryCodes } = await rememberingUser();
    const unticked = await signInTicked(user.id, async () => ({ kind: "recovery", code: recoveryCodes[1]! }), {
      remember: false,
    });
    expect(unticked.remember).toBeNull();
    const api = await signInTicked(user.id, async () => ({ kind: "recovery", code: recoveryCodes[2]! }), {
      client: { kind: "api" },
    });
    expect(api).toMatchObject({ remember: null, deviceToken: null });
    expect(await rowsOf(user.id)).toHaveLength(1);
    await db.account.update({ where: { id: user.accountId }, data: { rememberBrowserAllowed: false } });
    expect(
      readRememberOffer(await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { account: true } })),
    ).toEqual({ code: null, passkey: null });
    const off = await signInTicked(user.id, async () => ({ kind: "recovery", code: recoveryCodes[3]! }));
    expect(off.remember).toBeNull();
  });
});

describe("what is ignored, so the second step is asked", () => {
  it("a copied remember cookie without this browser's device cookie, or with another", async () => {
    const { user, browser } = await rememberingUser();
    expect(await skips(user.id, { ...browser, deviceTokens: [] })).toBe(false);
    expect(await skips(user.id, { ...browser, deviceTokens: [newDeviceToken(user.id)] })).toBe(false);
    expect(await skips(user.id, { ...browser, deviceTokens: ["garbage", ...browser.deviceTokens] })).toBe(true);
  });

  it("another user's remembered browser, even with that browser's device cookie", async () => {
    const { user, browser } = await rememberingUser();
    const other = await rememberingUser({ accountId: user.accountId });
    expect(await skips(other.user.id, browser)).toBe(false);
    expect(await skips(other.user.id, { ...other.browser, rememberToken: browser.rememberToken })).toBe(false);
    expect(await skips(user.id, { rememberToken: "made-up", deviceTokens: browser.deviceTokens })).toBe(false);
    expect(await skips(user.id, { rememberToken: "x".repeat(5000), deviceTokens: browser.deviceTokens })).toBe(false);
  });

  it("an expired one", async () => {
    const { user, browser } = await rememberingUser();
    expect(await skips(user.id, browser, { now: new Date(Date.now() + 29 * DAY_MS) })).toBe(true);
    expect(await skips(user.id, browser, { now: new Date(Date.now() + 30 * DAY_MS + MINUTE) })).toBe(false);
    expect(await listRememberedBrowsers({ userId: user.id, now: new Date(Date.now() + 31 * DAY_MS) })).toEqual([]);
  });

  it("a locked or disabled user: the lock and the refusal still stand", async () => {
    const { user, browser } = await rememberingUser();
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: new Date(Date.now() + MINUTE) } });
    expect(await skips(user.id, browser)).toBe(false);
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: null, disabledAt: new Date() } });
    expect(await skips(user.id, browser)).toBe(false);
    const { deviceTokens } = browser;
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: fromNewIp(), deviceTokens });
    expect(step).toEqual({ ok: false, error: "account_disabled" });
  });

  it("a code-made one once the account requires a passkey of the user; a passkey-made one still works", async () => {
    const { user, recoveryCodes, browser } = await rememberingUser();
    await db.account.update({
      where: { id: user.accountId },
      data: { requirePasskey: "everyone", requirePasskeySince: new Date() },
    });
    expect(await skips(user.id, browser)).toBe(false);
    expect(
      readRememberOffer(await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { account: true } })),
    ).toEqual({ code: null, passkey: 30 });
    // A box ticked with a code anyway (a forged form) remembers nothing.
    const ticked = await signInTicked(user.id, async () => ({ kind: "recovery", code: recoveryCodes[1]! }));
    expect(ticked.remember).toBeNull();

    const { user: keyholder, authenticator, credential } = await userWithPasskey();
    await db.account.update({
      where: { id: keyholder.accountId },
      data: { rememberBrowserAllowed: true, requirePasskey: "everyone", requirePasskeySince: new Date() },
    });
    const byPasskey = await remember(
      keyholder.id,
      async (challengeId) => ({
        kind: "passkey",
        response: authenticator.assert(
          credential.id,
          await startPasskeySecondFactor({ userId: keyholder.id, loginChallengeId: challengeId }),
        ),
      }),
      "passkey",
    );
    expect((await rowsOf(keyholder.id))[0]?.viaPasskey).toBe(true);
    expect(await skips(keyholder.id, byPasskey)).toBe(true);
  });
});

describe("the account's setting", () => {
  it("turned off: every remembered browser of the account dies, others' stay", async () => {
    const { user, browser } = await rememberingUser();
    const colleague = await rememberingUser({ accountId: user.accountId });
    const elsewhere = await rememberingUser();
    const admin = await adminOf(user.accountId);
    expect(await updateRememberBrowser({ actor: admin, allowed: false, days: 30, request })).toEqual({
      ok: true,
      forgotten: 2,
    });
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await rowsOf(colleague.user.id)).toEqual([]);
    expect(await skips(user.id, browser)).toBe(false);
    expect(await skips(elsewhere.user.id, elsewhere.browser)).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { accountId: user.accountId, type: "remember_browser.changed" },
    });
    expect(event.data).toEqual({ allowed: false, from: 30, to: 30, forgotten: 2 });
  });

  it("shortened: rows older than the new days die at once, younger ones end at their creation plus the new days", async () => {
    const { user, browser } = await rememberingUser();
    const old = await rememberingUser({ accountId: user.accountId });
    const now = Date.now();
    const [young] = await rowsOf(user.id);
    await db.rememberedBrowser.update({
      where: { id: young!.id },
      data: { createdAt: new Date(now - 5 * DAY_MS), expiresAt: new Date(now + 25 * DAY_MS) },
    });
    await db.rememberedBrowser.updateMany({
      where: { userId: old.user.id },
      data: { createdAt: new Date(now - 20 * DAY_MS), expiresAt: new Date(now + 10 * DAY_MS) },
    });
    const admin = await adminOf(user.accountId);
    expect(await updateRememberBrowser({ actor: admin, allowed: true, days: 10, request })).toEqual({
      ok: true,
      forgotten: 1,
    });
    expect(await rowsOf(old.user.id)).toEqual([]);
    expect(await skips(user.id, browser)).toBe(true);
    expect(await skips(user.id, browser, { now: new Date(now + 6 * DAY_MS) })).toBe(false);
    const [listed] = await listRememberedBrowsers({ userId: user.id });
    expect(listed!.endsAt.getTime()).toBe(now + 5 * DAY_MS);
  });

  it("refuses days outside 1 to 90, and a member", async () => {
    const { user } = await rememberingUser();
    const admin = await adminOf(user.accountId);
    for (const days of [0, 91, 1.5])
      expect(await updateRememberBrowser({ actor: admin, allowed: true, days, request })).toEqual({
        ok: false,
        error: "invalid_input",
      });
    expect(await updateRememberBrowser({ actor: user, allowed: false, days: 30, request })).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await rowsOf(user.id)).toHaveLength(1);
  });
});

describe("My Profile: the list and Forget", () => {
  it("lists where and when, marks this browser, and forgets one of the user's own or all, audited", async () => {
    const { user, recoveryCodes, browser } = await rememberingUser();
    const second = await remember(user.id, async () => ({ kind: "recovery", code: recoveryCodes[1]! }));
    const stranger = await rememberingUser();
    const listed = await listRememberedBrowsers({ userId: user.id, currentToken: browser.rememberToken });
    expect(listed).toHaveLength(2);
    expect(listed.every((row) => row.ip === request.ip && row.userAgent === request.userAgent)).toBe(true);
    const current = listed.filter((row) => row.current);
    expect(current).toHaveLength(1);
    const forget = (id?: string) =>
      forgetOwnRememberedBrowsers({ userId: user.id, accountId: user.accountId, id, request });
    const [theirs] = await rowsOf(stranger.user.id);
    expect(await forget(theirs!.id)).toBe(0);
    expect(await skips(stranger.user.id, stranger.browser)).toBe(true);
    expect(await forget(current[0]!.id)).toBe(1);
    expect(await skips(user.id, browser)).toBe(false);
    expect(await skips(user.id, second)).toBe(true);
    expect(await remember(user.id, async () => ({ kind: "recovery", code: recoveryCodes[2]! }))).toBeTruthy();
    expect(await forget()).toBe(2);
    expect(await skips(user.id, second)).toBe(false);
    const events = await db.auditEvent.findMany({ where: { targetId: user.id, type: "remembered_browser.forgotten" } });
    expect(events.map((event) => event.data)).toEqual([{ forgotten: 1 }, { forgotten: 2 }]);
  });
});

describe("what kills a remembered browser", () => {
  // Each event ends the user's remembered browsers, in its own transaction, and no one else's.
  async function killedBy(event: (user: Awaited<ReturnType<typeof rememberingUser>>) => Promise<unknown>) {
    const subject = await rememberingUser();
    const bystander = await rememberingUser({ accountId: subject.user.accountId });
    await event(subject);
    expect(await rowsOf(subject.user.id)).toEqual([]);
    expect(await skips(subject.user.id, subject.browser)).toBe(false);
    expect(await skips(bystander.user.id, bystander.browser)).toBe(true);
  }

  it("a password change, this browser's too", () =>
    killedBy(async ({ user }) => {
      const { session } = await createSession(db, { userId: user.id, request });
      const changed = await changePassword({
        userId: user.id,
        sessionId: session.id,
        currentPassword: TEST_PASSWORD,
        newPassword: "a brand new lighthouse keeper",
        request,
      });
      expect(changed.ok).toBe(true);
    }));

  it("a password reset", () =>
    killedBy(async ({ user }) => {
      await sendPasswordResetLink({ email: user.email, request });
      const message = await db.outboundMessage.findFirstOrThrow({
        where: { to: user.email, subject: "Reset your StrongSign password" },
      });
      const token = readMessageBody(message)!.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1]!;
      expect(await resetPassword({ token, password: "a brand new lighthouse keeper", request })).toEqual({ ok: true });
    }));

  it("the admin's Reset 2FA", () =>
    killedBy(async ({ user }) => {
      const admin = await adminOf(user.accountId);
      expect(await resetTwoFactor({ actor: admin, userId: user.id, request })).toEqual({ ok: true });
    }));

  it("the user's last method removed: two-factor authentication turned off", () =>
    killedBy(async ({ user, secret }) => {
      const { session } = await createSession(db, { userId: user.id, request });
      const off = await disableTwoFactor({
        userId: user.id,
        sessionId: session.id,
        password: TEST_PASSWORD,
        code: totp(secret, T0.getTime()),
        request,
        now: T0,
      });
      expect(off).toEqual({ ok: true });
    }));

  it("the user's last method removed: an admin choosing no email codes for someone with nothing else", async () => {
    const user = await createUser({ role: "MEMBER" });
    await db.account.update({ where: { id: user.accountId }, data: { rememberBrowserAllowed: true } });
    await db.user.update({
      where: { id: user.id },
      data: { emailCodesEnabledAt: new Date(), twoFactorMethod: "email" },
    });
    const browser = await remember(
      user.id,
      async (challengeId) => {
        expect((await sendChallengeCode({ challengeId })).ok).toBe(true);
        return { kind: "code", code: await lastCode(user.email) };
      },
      "email",
    );
    expect(await skips(user.id, browser)).toBe(true);
    const admin = await adminOf(user.accountId);
    expect(await setTwoFactorPreference({ actor: admin, userId: user.id, method: null, request })).toMatchObject({
      ok: true,
    });
    expect(await rowsOf(user.id)).toEqual([]);
  });

  it("“Sign out of all other sessions”, this browser's too", () =>
    killedBy(async ({ user }) => {
      const { session } = await createSession(db, { userId: user.id, request });
      await signOutOtherSessions({
        userId: user.id,
        accountId: user.accountId,
        keepSessionId: session.id,
        revokeTokens: false,
        request,
      });
    }));

  it("disabling the user", () =>
    killedBy(async ({ user }) => {
      const admin = await adminOf(user.accountId);
      expect(await setDisabled({ actor: admin, userId: user.id, disabled: true, request })).toEqual({ ok: true });
    }));

  // Turning it off ends the whole account's: "the account's setting" above.
  it("the admin shortening the days past its age", () =>
    killedBy(async ({ user }) => {
      const admin = await adminOf(user.accountId);
      await db.rememberedBrowser.updateMany({
        where: { userId: user.id },
        data: { createdAt: new Date(Date.now() - 2 * DAY_MS) },
      });
      // The bystander was remembered just now: its one day is still ahead.
      expect(await updateRememberBrowser({ actor: admin, allowed: true, days: 1, request })).toMatchObject({
        ok: true,
      });
    }));
});
