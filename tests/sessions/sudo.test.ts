// Property: sudo mode opens only for that session by a way its user has (a passkey that verified them, an unused app code, or the password), for fifteen minutes, with failures counted as at sign-in.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { SUDO_WINDOW_MS } from "@/lib/config";
import { startPasskeySecondFactor, startPasskeySudo } from "@/lib/passkeys/assertion";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession, isSudo, markSudo } from "@/lib/sessions/sessions";
import { confirmAppCode, confirmPasskey, confirmPassword, readSudoWays } from "@/lib/sessions/sudo";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request, TEST_PASSWORD } from "../factories";
import { after, challenge, MINUTE, startSignIn, T0, userRow, userWithPasskey, wrongCode } from "../sign-in/helpers";

// An address of its own for each test, so that the per-IP password limit counts this
// test's failures alone.
function fromOwnAddress() {
  return {
    ip: `2001:db8:${crypto.randomInt(0x10000).toString(16)}:${crypto.randomInt(0x10000).toString(16)}::1`,
    userAgent: "vitest",
  };
}

async function signedIn() {
  const request = fromOwnAddress();
  const user = await createUser({ role: "MEMBER" });
  const { session } = await createSession(db, { userId: user.id, request });
  const sudoAt = async () => (await db.session.findUniqueOrThrow({ where: { id: session.id } })).sudoAt;
  return { user, session, request, sudoAt };
}

describe("sudo mode", () => {
  it("opens for the session whose user gives the right password", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    expect(await sudoAt()).toBeNull();
    const before = Date.now();
    expect(await confirmPassword({ userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request })).toEqual(
      {
        ok: true,
      },
    );
    const given = await sudoAt();
    expect(given?.getTime()).toBeGreaterThanOrEqual(before);
    expect(isSudo({ sudoAt: given })).toBe(true);
  });

  it("stays shut after a wrong password, and for a user who has none", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    expect(
      await confirmPassword({ userId: user.id, sessionId: session.id, password: "not it at all", request }),
    ).toEqual({ ok: false, error: "wrong_password" });
    expect(await sudoAt()).toBeNull();

    await db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    expect(await confirmPassword({ userId: user.id, sessionId: session.id, password: "", request })).toEqual({
      ok: false,
      error: "wrong_password",
    });
    expect(await sudoAt()).toBeNull();
  });

  it("counts wrong passwords against the sign-in limits, so a stolen session cannot guess on", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    // The email's five free attempts, then the one that starts the wait.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const result = await confirmPassword({
        userId: user.id,
        sessionId: session.id,
        password: `guess ${attempt}`,
        request,
      });
      expect(result).toEqual({ ok: false, error: "wrong_password" });
    }
    const refused = await confirmPassword({ userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request });
    expect(refused).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: expect.any(Number) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(await sudoAt()).toBeNull();
  });

  it("lasts fifteen minutes from the password, in that session only", async () => {
    const { user, session, request } = await signedIn();
    const other = await createSession(db, { userId: user.id, request });
    const given = new Date(Date.now() - 60_000);
    await markSudo(session.id, given);

    const row = await db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.sudoAt).toEqual(given);
    expect(isSudo(row, new Date(given.getTime() + SUDO_WINDOW_MS - 1))).toBe(true);
    expect(isSudo(row, new Date(given.getTime() + SUDO_WINDOW_MS))).toBe(false);
    expect(SUDO_WINDOW_MS).toBe(15 * 60_000);
    expect(isSudo(await db.session.findUniqueOrThrow({ where: { id: other.session.id } }))).toBe(false);
  });
});

// Any strong factor opens sudo mode (README "Sudo mode"). The attack: someone holding a
// stolen or unattended session guesses app codes, replays one seen at sign-in, or brings
// a passkey answer made for another user, ceremony or browser, to reach the sensitive
// pages. Every failure counts towards the second step's lock, which then refuses even a
// right answer.
describe("sudo mode by a strong factor", () => {
  async function appUser() {
    const { user, secret } = await createUserWithTotp({ at: after(-10 * MINUTE) });
    const { session } = await createSession(db, { userId: user.id, request: fromOwnAddress(), now: T0 });
    return { user, secret, session, attempt: { userId: user.id, sessionId: session.id, request: fromOwnAddress() } };
  }

  const sudoAtOf = async (sessionId: string) =>
    (await db.session.findUniqueOrThrow({ where: { id: sessionId } })).sudoAt;

  it("offers the ways the user has, strongest first, and never a password the user has none of", async () => {
    const { user } = await appUser();
    expect((await readSudoWays({ userId: user.id })).ways).toEqual(["totp", "password"]);
    const withPasskey = await userWithPasskey();
    await db.user.update({ where: { id: withPasskey.user.id }, data: { passwordHash: null } });
    expect(await readSudoWays({ userId: withPasskey.user.id })).toEqual({ ways: ["passkey"], lock: { locked: false } });
    expect((await readSudoWays({ userId: (await signedIn()).user.id })).ways).toEqual(["password"]);
  });

  it("accepts an app code once: replayed, or already used to sign in, it is refused and counted", async () => {
    const { user, secret, session, attempt } = await appUser();
    const code = totp(secret, T0.getTime());
    expect(await confirmAppCode({ ...attempt, code, now: T0 })).toEqual({ ok: true });
    expect(await sudoAtOf(session.id)).toEqual(T0);

    const again = await confirmAppCode({ ...attempt, code, now: after(1000) });
    expect(again).toMatchObject({ ok: false, error: "replayed", source: "app" });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(1);
    // Nor can it then sign in: the step is used up for both.
    const token = await challenge(user.id);
    const signIn = await verifySecondFactor({ challengeToken: token, kind: "code", code, request, now: after(2000) });
    expect(signIn).toMatchObject({ ok: false, error: "replayed" });

    // The other way round: the next step's code signs in, and then opens nothing.
    const next = totp(secret, after(30_000).getTime());
    const nextToken = await challenge(user.id, after(30_000));
    expect(
      await verifySecondFactor({ challengeToken: nextToken, kind: "code", code: next, request, now: after(30_000) }),
    ).toEqual({ ok: true });
    expect(await confirmAppCode({ ...attempt, code: next, now: after(31_000) })).toMatchObject({ error: "replayed" });
  });

  it("counts wrong and malformed codes towards the lock, which then refuses the right code", async () => {
    const { user, secret, session, attempt } = await appUser();
    await db.account.update({ where: { id: user.accountId }, data: { lockoutThreshold: 3 } });
    expect(await confirmAppCode({ ...attempt, code: wrongCode(secret, T0), now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
      attemptsLeft: 2,
      source: "app",
    });
    expect(await confirmAppCode({ ...attempt, code: "12345", now: T0 })).toMatchObject({
      error: "invalid_format",
      attemptsLeft: 1,
    });
    const locked = await confirmAppCode({ ...attempt, code: wrongCode(secret, T0), now: T0 });
    expect(locked).toMatchObject({ ok: false, error: "locked", lockedUntil: new Date(T0.getTime() + 15 * MINUTE) });
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.locked" } })).toBe(1);

    const right = await confirmAppCode({ ...attempt, code: totp(secret, T0.getTime()), now: after(MINUTE) });
    expect(right).toMatchObject({ ok: false, error: "locked" });
    expect(await sudoAtOf(session.id)).toBeNull();
    // The refused code was not looked at, so it is not used up: it works once the lock is over.
    expect((await db.totpCredential.findUniqueOrThrow({ where: { userId: user.id } })).lastUsedStep).toBeLessThan(
      Math.floor(T0.getTime() / 30_000),
    );
    // The password is not a second factor: its own limits apply, not the lock.
    expect(await confirmPassword({ ...attempt, password: TEST_PASSWORD })).toEqual({ ok: true });
  });

  it("starts the count again after a right code", async () => {
    const { user, secret, attempt } = await appUser();
    await confirmAppCode({ ...attempt, code: wrongCode(secret, T0), now: T0 });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(1);
    expect(await confirmAppCode({ ...attempt, code: totp(secret, T0.getTime()), now: T0 })).toEqual({ ok: true });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(0);
  });

  it("refuses a way the user does not have, without counting it", async () => {
    const { user, session } = await signedIn();
    const attempt = { userId: user.id, sessionId: session.id, request };
    expect(await confirmAppCode({ ...attempt, code: "123456" })).toEqual({ ok: false, error: "not_enabled" });
    expect(await confirmPasskey({ ...attempt, response: {} })).toEqual({ ok: false, error: "not_enabled" });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(0);
  });

  it("asks the user's own passkeys, for this session, with the person verified", async () => {
    const { user, session, credential } = await userWithPasskey();
    const other = await userWithPasskey();
    const options = await startPasskeySudo({ userId: user.id, sessionId: session.id });
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([credential.id]);
    const stored = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(options.challenge) },
    });
    expect(stored).toMatchObject({ purpose: "sudo", userId: user.id, sessionId: session.id, usedAt: null });
    expect(other.credential.id).not.toBe(credential.id);
  });

  it("accepts a passkey that verified the person, once per challenge", async () => {
    const { user, session, authenticator, credential } = await userWithPasskey();
    const attempt = { userId: user.id, sessionId: session.id, request };
    const options = await startPasskeySudo({ userId: user.id, sessionId: session.id });
    const response = authenticator.assert(credential.id, options);
    expect(await confirmPasskey({ ...attempt, response })).toEqual({ ok: true });
    expect(isSudo({ sudoAt: await sudoAtOf(session.id) })).toBe(true);

    await db.session.update({ where: { id: session.id }, data: { sudoAt: null } });
    expect(await confirmPasskey({ ...attempt, response })).toMatchObject({ ok: false, error: "passkey_rejected" });
    // Signed again for the used challenge, by the right key: still refused.
    const resigned = authenticator.assert(credential.id, options);
    expect(await confirmPasskey({ ...attempt, response: resigned })).toMatchObject({ error: "passkey_rejected" });
    expect(await sudoAtOf(session.id)).toBeNull();
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(2);
  });

  it("refuses a passkey answer without user verification, and counts it", async () => {
    const { user, session, authenticator, credential } = await userWithPasskey({ userVerified: false });
    const options = await startPasskeySudo({ userId: user.id, sessionId: session.id });
    const response = authenticator.assert(credential.id, options, { userVerified: false });
    expect(await confirmPasskey({ userId: user.id, sessionId: session.id, request, response })).toEqual({
      ok: false,
      error: "user_verification_required",
      attemptsLeft: 9,
      source: "passkey",
    });
    expect(await sudoAtOf(session.id)).toBeNull();
  });

  it("refuses another user's passkey, counting it against the user of the session", async () => {
    const { user, session } = await userWithPasskey();
    const stranger = await userWithPasskey();
    const options = await startPasskeySudo({ userId: user.id, sessionId: session.id });
    const response = stranger.authenticator.assert(stranger.credential.id, options);
    expect(await confirmPasskey({ userId: user.id, sessionId: session.id, request, response })).toMatchObject({
      ok: false,
      error: "passkey_rejected",
    });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(1);
    expect((await userRow(stranger.user.id)).failedSecondFactorCount).toBe(0);
    expect(await sudoAtOf(session.id)).toBeNull();
  });

  it("refuses an answer to a challenge of another session or of a sign-in", async () => {
    const { user, session, authenticator, credential } = await userWithPasskey();
    const elsewhere = await createSession(db, { userId: user.id, request });
    const attempt = { userId: user.id, sessionId: session.id, request };
    const otherSession = await startPasskeySudo({ userId: user.id, sessionId: elsewhere.session.id });
    const response = authenticator.assert(credential.id, otherSession);
    expect(await confirmPasskey({ ...attempt, response })).toMatchObject({ error: "passkey_rejected" });

    const { token } = await startSignIn(user.id, "passkey");
    const loginChallenge = await db.loginChallenge.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    const signIn = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: loginChallenge.id });
    const signInAnswer = authenticator.assert(credential.id, signIn);
    expect(await confirmPasskey({ ...attempt, response: signInAnswer })).toMatchObject({ error: "passkey_rejected" });
    expect(await sudoAtOf(session.id)).toBeNull();
    expect(await sudoAtOf(elsewhere.session.id)).toBeNull();
  });

  it("refuses even a right passkey while the lock stands", async () => {
    const { user, session, authenticator, credential } = await userWithPasskey();
    const until = new Date(Date.now() + 10 * MINUTE);
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: until } });
    const options = await startPasskeySudo({ userId: user.id, sessionId: session.id });
    const response = authenticator.assert(credential.id, options);
    expect(await confirmPasskey({ userId: user.id, sessionId: session.id, request, response })).toEqual({
      ok: false,
      error: "locked",
      lockedUntil: until,
      emailed: false,
    });
    expect(await sudoAtOf(session.id)).toBeNull();
  });
});
