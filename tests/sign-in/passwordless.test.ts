import { describe, expect, it } from "vitest";
import { removeMethod } from "@/lib/factors/removal";
import { sendFirstChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { addPasskey } from "@/lib/passkeys/add";
import {
  relyingParty,
  startPasskeyPasswordless,
  startPasskeyRegistration,
  startPasskeySecondFactor,
} from "@/lib/passkeys/webauthn";
import { db } from "@/lib/platform/db";
import { createSession, isSudo } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { createLoginChallenge, findLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { passkeySignIn } from "@/lib/sign-in/passwordless";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { switchSecondFactor } from "@/lib/sign-in/try-another-way";
import { createUser, createUserWithTotp, lastCode, newBrowser, request, TEST_PASSWORD } from "../factories";
import { createSoftAuthenticator } from "../soft-authenticator";

// Passkeys as methods of the product (SPEC §13), past lib/passkeys/webauthn's own checks: a
// passkey added in My Profile is a second factor like the others, signing in with one
// goes through the same lockout, audit and session as every sign-in, a key that did not
// verify the person never signs in alone, and "Try another way" offers only what the
// user has.

const rp = relyingParty();

async function userWithPasskey(options: { userVerified?: boolean } = {}) {
  const user = await createUser();
  const { session } = await createSession(db, { userId: user.id, request });
  const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
  const registration = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
  const { credential, response } = authenticator.register(registration, { userVerified: options.userVerified });
  const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Laptop", response, request });
  if (!added.ok) throw new Error(`could not add the passkey: ${added.error}`);
  return { user, session, authenticator, credential, added };
}

async function passwordless(
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  credentialId: string,
  knobs: { userVerified?: boolean } = {},
) {
  const { options, browserToken } = await startPasskeyPasswordless();
  const response = authenticator.assert(credentialId, options, knobs);
  return passkeySignIn({ browserToken, response, request });
}

describe("adding a passkey", () => {
  it("is a first method like any other: recovery codes, the default method, other sessions end", async () => {
    const user = await createUser();
    const other = await createSession(db, { userId: user.id, request });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const registration = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
    const { response } = authenticator.register(registration);
    const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Laptop", response, request });

    expect(added).toMatchObject({ ok: true, passkeyName: "Laptop" });
    expect(added.ok && added.recoveryCodes).toHaveLength(10);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ twoFactorMethod: "passkey" });
    expect(await db.session.findUnique({ where: { id: other.session.id } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: session.id } })).not.toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "passkey.added" } })).toBe(1);
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "passkey was added" } } }),
    ).toBe(1);
  });

  it("next to an app keeps the app and the recovery codes, and becomes the default", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request });
    expect(added).toMatchObject({ ok: true, recoveryCodes: null });
    expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(recoveryCodes.length);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("passkey");
  });

  it("is refused when the account does not allow passkeys, and nothing is saved", async () => {
    const user = await createUser();
    await db.account.update({ where: { id: user.accountId }, data: { allowedMethods: ["totp"] } });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    expect(await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request })).toEqual({
      ok: false,
      error: "method_not_allowed",
    });
    expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("signing in with a passkey and no password", () => {
  it("makes a login challenge that completeSignIn turns into one session, audited", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const result = await passwordless(authenticator, credential.id);
    if (!result.ok) throw new Error(result.error);
    const session = await completeSignIn({
      challengeToken: result.challengeToken,
      request,
      client: { kind: "browser", deviceTokens: [] },
    });
    expect(session?.userId).toBe(user.id);
    // The challenge is burnt: it cannot make a second session.
    expect(
      await completeSignIn({
        challengeToken: result.challengeToken,
        request,
        client: { kind: "browser", deviceTokens: [] },
      }),
    ).toBeNull();
    // The log names the passkey, as its owner called it, not by its id.
    const passkey = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
    const signedIn = await db.auditEvent.findFirstOrThrow({ where: { targetId: user.id, type: "sign_in.passkey" } });
    expect(signedIn.data).toEqual({ method: "passkey", passkeyId: passkey.id, name: passkey.name });
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.succeeded" } })).toBe(1);
  });

  it("refuses a key that did not verify the person: it is only a second factor", async () => {
    const { user, authenticator, credential } = await userWithPasskey({ userVerified: false });
    expect(await passwordless(authenticator, credential.id, { userVerified: false })).toEqual({
      ok: false,
      error: "user_verification_required",
    });
    expect(await db.loginChallenge.count({ where: { userId: user.id, factorVerifiedAt: { not: null } } })).toBe(0);
  });

  it("refuses a disabled or locked user", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: new Date(Date.now() + 60_000) } });
    expect(await passwordless(authenticator, credential.id)).toMatchObject({ ok: false, error: "locked" });
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: null, disabledAt: new Date() } });
    expect(await passwordless(authenticator, credential.id)).toEqual({ ok: false, error: "account_disabled" });
  });

  it("counts a forged answer against the key's owner and the address", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const { options, browserToken } = await startPasskeyPasswordless();
    const forged = authenticator.assert(credential.id, options, { origin: "https://phish.example" });
    expect(await passkeySignIn({ browserToken, response: forged, request })).toEqual({
      ok: false,
      error: "passkey_rejected",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.failed" } })).toBe(1);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: `pw:ip:${request.ip}` } })).count).toBeGreaterThan(0);
  });
});

describe("the passkey second step and Try another way", () => {
  it("passes a password sign-in through verifySecondFactor, and the API is sent elsewhere", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    expect(step.pendingFactor).toBe("passkey");
    const options = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: step.challengeId });
    const response = authenticator.assert(credential.id, options);
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "passkey", response, request }),
    ).toEqual({ ok: true });
    const verified = await db.auditEvent.findFirstOrThrow({
      where: { targetId: user.id, type: "two_factor.verified" },
    });
    const passkey = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
    expect(verified.data).toEqual({ method: "passkey", passkeyId: passkey.id, name: passkey.name });

    expect(await passwordStep({ email: user.email, password: TEST_PASSWORD, request, codesOnly: true })).toEqual({
      ok: false,
      error: "passkey_only",
    });
  });

  it("counts a refused passkey like a wrong code", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const { challenge, token } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "passkey", request });
    const options = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: challenge.id });
    const response = authenticator.assert(credential.id, options, { rpId: "phish.example" });
    expect(await verifySecondFactor({ challengeToken: token, kind: "passkey", response, request })).toMatchObject({
      ok: false,
      error: "passkey_rejected",
      source: "passkey",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(1);
  });

  it("switches only to a method the user has, and a passkey answer does not pass an app step", async () => {
    const { user, secret } = await createUserWithTotp({ at: new Date() });
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "totp", request });
    expect(await switchSecondFactor({ challengeToken: token, method: "sms" })).toEqual({
      ok: false,
      error: "not_enabled",
    });
    expect(await switchSecondFactor({ challengeToken: token, method: "passkey" })).toEqual({
      ok: false,
      error: "not_enabled",
    });
    expect((await findLoginChallenge(token))?.pendingFactor).toBe("totp");
    expect(await verifySecondFactor({ challengeToken: token, kind: "passkey", response: {}, request })).toEqual({
      ok: false,
      error: "challenge_expired",
    });
    expect(secret).toBeTruthy();

    await db.user.update({ where: { id: user.id }, data: { emailCodesEnabledAt: new Date() } });
    expect(await switchSecondFactor({ challengeToken: token, method: "email" })).toEqual({ ok: true });
    const switched = await db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.id } });
    expect(switched).toMatchObject({ pendingFactor: "email", codeChannel: "email" });
    expect(await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "sign-in code" } } })).toBe(
      1,
    );
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

describe("switching between codes we send", () => {
  it("sends the new channel's code at once; the old code dies; the challenge's send count still bounds it", async () => {
    const user = await createUser();
    await db.user.update({
      where: { id: user.id },
      data: {
        smsEnabledAt: new Date(),
        emailCodesEnabledAt: new Date(),
        phone: "+447700900321",
        twoFactorMethod: "sms",
      },
    });
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    await sendFirstChallengeCode({ challengeId: step.challengeId });
    const texted = await lastCode("+447700900321");

    expect(await switchSecondFactor({ challengeToken: step.challengeToken, method: "email" })).toEqual({ ok: true });
    expect(await db.loginChallenge.findUniqueOrThrow({ where: { id: step.challengeId } })).toMatchObject({
      pendingFactor: "email",
      codeChannel: "email",
    });
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "code", code: texted, request }),
    ).toMatchObject({ ok: false, error: "invalid_code" });
    const emailed = await lastCode(user.email);
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "code", code: emailed, request }),
    ).toEqual({ ok: true });
  });
});

// Sudo mode is the password given in the last 15 minutes (README, "Sudo mode"). The attack:
// someone who can make a passkey answer (a shared laptop, a device PIN seen over a
// shoulder) signs in with it and at once turns two-factor authentication off, makes a
// personal access token or moves the account to an address of their own. A session
// starts in sudo mode only when its sign-in included the password, and only for what is
// left of the 15 minutes since it was given.
describe("sudo mode at sign-in", () => {
  async function sessionOf(challengeToken: string) {
    const signedIn = await completeSignIn({ challengeToken, request, client: newBrowser });
    if (!signedIn) throw new Error("no session");
    return db.session.findUniqueOrThrow({ where: { id: signedIn.sessionId } });
  }

  it("starts after the password and a passkey as the second step, from when the password was given", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    const options = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: step.challengeId });
    const response = authenticator.assert(credential.id, options);
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "passkey", response, request }),
    ).toEqual({ ok: true });
    const session = await sessionOf(step.challengeToken);
    const { passwordGivenAt } = await db.loginChallenge.findUniqueOrThrow({ where: { id: step.challengeId } });
    expect(passwordGivenAt).not.toBeNull();
    expect(session.sudoAt).toEqual(passwordGivenAt);
    expect(isSudo(session)).toBe(true);
  });

  it("does not start after a passkey alone; the password then turns it on", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const result = await passwordless(authenticator, credential.id);
    if (!result.ok) throw new Error(result.error);
    const session = await sessionOf(result.challengeToken);
    expect(session.sudoAt).toBeNull();
    expect(isSudo(session)).toBe(false);

    expect(await confirmPassword({ userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request })).toEqual(
      {
        ok: true,
      },
    );
    expect(isSudo(await db.session.findUniqueOrThrow({ where: { id: session.id } }))).toBe(true);
  });

  it("counts its 15 minutes from the password, not from the end of the sign-in", async () => {
    const user = await createUser();
    const given = new Date(Date.now() - 9 * 60_000);
    const { token } = await createLoginChallenge(db, {
      userId: user.id,
      pendingFactor: null,
      request,
      passwordGiven: true,
      now: given,
    });
    const session = await sessionOf(token);
    expect(session.sudoAt).toEqual(given);
    expect(isSudo(session, new Date(given.getTime() + 14 * 60_000))).toBe(true);
    expect(isSudo(session, new Date(given.getTime() + 16 * 60_000))).toBe(false);
  });
});
