// Property: a passkey that verified the person signs in alone, through the lockout, audit and session of every sign-in, and without the password's sudo mode.
import { describe, expect, it } from "vitest";
import { startPasskeyPasswordless, startPasskeySecondFactor } from "@/lib/passkeys/assertion";
import { db } from "@/lib/platform/db";
import { isSudo } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { passkeySignIn } from "@/lib/sign-in/passwordless";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { createUser, newBrowser, request, TEST_PASSWORD } from "../factories";
import type { createSoftAuthenticator } from "../soft-authenticator";
import { newIp, userWithPasskey } from "./helpers";

// Passkeys as methods of the product (docs/security-model.md, "Several methods at once"),
// past lib/passkeys/assertion.ts's own checks: a passkey added in My Profile is a second
// factor like the others, signing in with one goes through the same lockout, audit and
// session as every sign-in, a key that did not verify the person never signs in alone, and
// "Try another way" offers only what the user has.

async function passwordless(
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  credentialId: string,
  knobs: { userVerified?: boolean } = {},
) {
  const { options, browserToken } = await startPasskeyPasswordless();
  const response = authenticator.assert(credentialId, options, knobs);
  return passkeySignIn({ browserToken, response, request });
}

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

  it("says a key removed from the account is unknown, counting it against the address only", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    await db.webAuthnCredential.deleteMany({ where: { userId: user.id } });
    const ip = newIp();
    const { options, browserToken } = await startPasskeyPasswordless();
    const response = authenticator.assert(credential.id, options);

    expect(await passkeySignIn({ browserToken, response, request: { ...request, ip } })).toEqual({
      ok: false,
      error: "passkey_unknown",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(0);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: `pw:ip:${ip}` } })).count).toBe(1);
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
