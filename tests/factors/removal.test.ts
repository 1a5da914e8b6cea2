// Property: turning factors off takes down what they made, asks for proof of the user, and never leaves an account without a factor it requires.
import { describe, expect, it } from "vitest";
import { consumeRecoveryCode } from "@/lib/factors/recovery-codes";
import { disableTwoFactor, removeMethod } from "@/lib/factors/removal";
import { addPasskey } from "@/lib/passkeys/add";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { completeSignIn } from "@/lib/sign-in/password-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, newBrowser, request, TEST_PASSWORD } from "../factories";
import { after, challenge, fromNewIp, MINUTE, rp, T0, userRow, userWithPasskey, wrongCode } from "../sign-in/helpers";
import { createSoftAuthenticator } from "../soft-authenticator";

describe("disabling", () => {
  it("needs the password and a current code; removes secret and codes, ends other sessions", async () => {
    const { user, secret, recoveryCodes } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const current = await createSession(db, { userId: user.id, request });
    const other = await createSession(db, { userId: user.id, request });
    // A sign-in that got past the password step and would otherwise still complete.
    const pending = await challenge(user.id, new Date(), null);
    const base = { userId: user.id, sessionId: current.session.id, request: fromNewIp(), now: T0 };

    expect(await disableTwoFactor({ ...base, password: "not the password", code: totp(secret, T0.getTime()) })).toEqual(
      { ok: false, error: "wrong_password" },
    );
    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: "" })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(2);
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");

    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: totp(secret, T0.getTime()) })).toEqual({
      ok: true,
    });
    const after2fa = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { totpCredential: true, totpSetup: true, recoveryCodes: true },
    });
    expect(after2fa).toMatchObject({
      twoFactorMethod: null,
      twoFactorEnabledAt: null,
      totpCredential: null,
      totpSetup: null,
      recoveryCodes: [],
    });
    expect(await consumeRecoveryCode(db, { userId: user.id, code: recoveryCodes[0] })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await validateSessionToken(current.token)).not.toBeNull();
    expect(await validateSessionToken(other.token)).toBeNull();
    expect(await completeSignIn({ challengeToken: pending, request, client: newBrowser })).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.disabled" } })).toBe(1);
    expect(
      await db.outboundMessage.count({
        where: { to: user.email, subject: "Two-factor authentication was turned off" },
      }),
    ).toBe(1);
  });

  // A stolen session plus a known password must not be able to guess the code to switch 2FA off.
  it("counts wrong codes towards the lockout and refuses while locked", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const { session } = await createSession(db, { userId: user.id, request });
    await db.account.update({ where: { id: user.accountId }, data: { lockoutThreshold: 2 } });
    const base = { userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request: fromNewIp(), now: T0 };
    expect(await disableTwoFactor({ ...base, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await disableTwoFactor({ ...base, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect(await disableTwoFactor({ ...base, code: totp(secret, T0.getTime()) })).toEqual({
      ok: false,
      error: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");
  });

  it("is refused while the account requires 2FA, unless the user is exempt", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const { session } = await createSession(db, { userId: user.id, request });
    await db.account.update({
      where: { id: user.accountId },
      data: { enforceTwoFactor: true, enforceSince: new Date() },
    });
    const attempt = () =>
      disableTwoFactor({
        userId: user.id,
        sessionId: session.id,
        password: TEST_PASSWORD,
        code: totp(secret, T0.getTime()),
        request: fromNewIp(),
        now: T0,
      });
    expect(await attempt()).toEqual({ ok: false, error: "enforced" });
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");
    await db.user.update({ where: { id: user.id }, data: { twoFactorExempt: true } });
    expect(await attempt()).toEqual({ ok: true });
  });

  it("says so when 2FA is not on", async () => {
    const user = await createUser();
    const { session } = await createSession(db, { userId: user.id, request });
    expect(
      await disableTwoFactor({
        userId: user.id,
        sessionId: session.id,
        password: TEST_PASSWORD,
        code: "123456",
        request: fromNewIp(),
      }),
    ).toEqual({ ok: false, error: "not_enabled" });
  });
});

describe("removing one method of several", () => {
  it("takes the passkey away, keeps the app, and the strongest left becomes the default", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request });
    const passkey = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });

    expect(await removeMethod({ userId: user.id, method: "passkey", passkeyId: passkey.id, request })).toEqual({
      ok: true,
    });
    expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("totp");
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(recoveryCodes.length);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "passkey.removed" } })).toBe(1);

    // The last method is turning 2FA off: not here.
    expect(await removeMethod({ userId: user.id, method: "totp", request })).toEqual({
      ok: false,
      error: "last_method",
    });
    expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses another user's passkey and the last passkey the account requires", async () => {
    const { user } = await userWithPasskey();
    const stranger = await userWithPasskey();
    const theirs = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: stranger.user.id } });
    await db.user.update({ where: { id: user.id }, data: { emailCodesEnabledAt: new Date() } });
    expect(await removeMethod({ userId: user.id, method: "passkey", passkeyId: theirs.id, request })).toEqual({
      ok: false,
      error: "not_found",
    });
    await db.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
    await db.account.update({
      where: { id: user.accountId },
      data: { requirePasskey: "admins", requirePasskeySince: new Date() },
    });
    const mine = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
    expect(await removeMethod({ userId: user.id, method: "passkey", passkeyId: mine.id, request })).toEqual({
      ok: false,
      error: "enforced",
    });
    expect(await db.webAuthnCredential.count({ where: { userId: { in: [user.id, stranger.user.id] } } })).toBe(2);
  });
});
