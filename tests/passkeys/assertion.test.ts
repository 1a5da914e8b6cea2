// A passkey signs in only with a fresh assertion for this site, ceremony and user, and never from a cloned key.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "@/lib/errors";
import { startPasskeyPasswordless, startPasskeySecondFactor, verifyPasskeyAssertion } from "@/lib/passkeys/assertion";
import { finishPasskeyRegistration, startPasskeyRegistration } from "@/lib/passkeys/registration";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty } from "@/lib/passkeys/relying-party";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { createUser, request } from "../factories";
import { createSoftAuthenticator, newKeyPair } from "../soft-authenticator";

// Signing in with a passkey, as the second step after the password or without one.
// Attack: an assertion phished on another site, replayed, made for another ceremony or
// browser, signed by another key, or from a cloned authenticator signs someone in. Each
// refusal must leave the credential's counter and last use as they were.

const rp = relyingParty();
const at = new Date("2030-05-06T08:00:00Z");

// A user with one passkey (or more) on a software authenticator, registered through the real flow.
async function userWithPasskeys(count = 1, knobs: { counter?: number } = {}) {
  const user = await createUser();
  const { session } = await createSession(db, { userId: user.id, request, now: at });
  const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
  const credentials = [];
  for (let index = 0; index < count; index++) {
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { credential, response } = authenticator.register(options, knobs);
    const result = await finishPasskeyRegistration({
      userId: user.id,
      sessionId: session.id,
      name: `Key ${index + 1}`,
      response,
      now: at,
    });
    if (!result.ok) throw new Error(`registration failed: ${result.error}`);
    credentials.push({ ...credential, passkeyId: result.passkey.id });
  }
  return { user, authenticator, credentials, credential: credentials[0] };
}

async function secondStep(userId: string, now = at) {
  const { challenge } = await createLoginChallenge(db, { userId, pendingFactor: "passkey", request, now });
  const options = await startPasskeySecondFactor({ userId, loginChallengeId: challenge.id, now });
  return { loginChallengeId: challenge.id, options };
}

async function storedCredential(credentialId: string) {
  return db.webAuthnCredential.findUniqueOrThrow({ where: { credentialId } });
}

describe("startPasskeySecondFactor", () => {
  it("offers the user's keys with their transports, bound to the login challenge", async () => {
    const { user, credentials } = await userWithPasskeys(2);
    const { loginChallengeId, options } = await secondStep(user.id);

    expect(options.rpId).toBe("localhost");
    expect(options.userVerification).toBe("preferred");
    expect(options.allowCredentials).toEqual(
      credentials.map((credential) => ({ id: credential.id, type: "public-key", transports: ["internal"] })),
    );
    const stored = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(options.challenge) },
    });
    expect(stored).toMatchObject({ purpose: "second_factor", userId: user.id, loginChallengeId, usedAt: null });
    expect(stored.expiresAt.getTime()).toBe(at.getTime() + PASSKEY_CHALLENGE_TTL_MS);
  });
});

describe("verifyPasskeyAssertion at the second step", () => {
  it("accepts the user's key and records the use", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { loginChallengeId, options } = await secondStep(user.id);
    const response = authenticator.assert(credential.id, options);

    const result = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: user.id,
      loginChallengeId,
      response,
      now: at,
    });

    expect(result).toEqual({
      ok: true,
      userId: user.id,
      passkeyId: credential.passkeyId,
      passkeyName: "Key 1",
      userVerified: true,
    });
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 1, lastUsedAt: at, backedUp: false });
    const challenge = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(options.challenge) },
    });
    expect(challenge.usedAt).toEqual(at);
  });

  it("reports whether the authenticator verified the user (UV flag)", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const verify = async (userVerified: boolean) => {
      const { loginChallengeId, options } = await secondStep(user.id);
      const response = authenticator.assert(credential.id, options, { userVerified });
      return verifyPasskeyAssertion({ purpose: "second_factor", userId: user.id, loginChallengeId, response, now: at });
    };

    expect(await verify(false)).toMatchObject({ ok: true, userVerified: false });
    expect(await verify(true)).toMatchObject({ ok: true, userVerified: true });
  });

  it("keeps the backup state up to date", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { loginChallengeId, options } = await secondStep(user.id);
    const response = authenticator.assert(credential.id, options, { backupEligible: true, backedUp: true });

    expect(
      await verifyPasskeyAssertion({ purpose: "second_factor", userId: user.id, loginChallengeId, response, now: at }),
    ).toMatchObject({ ok: true });
    expect(await storedCredential(credential.id)).toMatchObject({ backedUp: true });
  });

  it("accepts authenticators that keep no counter (always 0)", async () => {
    const { user, authenticator, credential } = await userWithPasskeys(1, { counter: 0 });
    for (let use = 0; use < 2; use++) {
      const { loginChallengeId, options } = await secondStep(user.id);
      const response = authenticator.assert(credential.id, options, { counter: 0 });
      expect(
        await verifyPasskeyAssertion({
          purpose: "second_factor",
          userId: user.id,
          loginChallengeId,
          response,
          now: at,
        }),
      ).toMatchObject({ ok: true });
    }
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 0 });
  });

  type Setup = Awaited<ReturnType<typeof userWithPasskeys>>;
  type Forgery = {
    name: string;
    error: string;
    // Builds the response to submit; may use a second step of its own.
    make: (setup: Setup, step: Awaited<ReturnType<typeof secondStep>>) => Promise<unknown> | unknown;
    now?: Date;
  };
  const assert = (setup: Setup, challenge: string, knobs = {}) =>
    setup.authenticator.assert(setup.credential.id, { challenge }, knobs);
  const forgeries: Forgery[] = [
    {
      name: "made on another origin (phishing site)",
      make: (s, step) => assert(s, step.options.challenge, { origin: "https://strongsign.evil.test" }),
      error: "passkey_rejected",
    },
    {
      name: "scoped to another relying party (rpIdHash)",
      make: (s, step) => assert(s, step.options.challenge, { rpId: "evil.test" }),
      error: "passkey_rejected",
    },
    {
      name: "signing a challenge we never issued",
      make: (s) => assert(s, "bm90LW91ci1jaGFsbGVuZ2U"),
      error: "challenge_expired",
    },
    {
      name: "after the challenge expired",
      make: (s, step) => assert(s, step.options.challenge),
      now: new Date(at.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      error: "challenge_expired",
    },
    {
      name: "answering a registration challenge",
      make: async (s) => {
        const { session } = await createSession(db, { userId: s.user.id, request, now: at });
        const options = await startPasskeyRegistration({ userId: s.user.id, sessionId: session.id, now: at });
        return assert(s, options.challenge);
      },
      error: "challenge_expired",
    },
    {
      name: "answering a passwordless challenge",
      make: async (s) => assert(s, (await startPasskeyPasswordless({ now: at })).options.challenge),
      error: "challenge_expired",
    },
    {
      name: "answering a challenge of another login challenge",
      make: async (s) => assert(s, (await secondStep(s.user.id)).options.challenge),
      error: "challenge_expired",
    },
    {
      name: "from the second step of another user",
      make: async (s) => {
        const other = await userWithPasskeys();
        return assert(s, (await secondStep(other.user.id)).options.challenge);
      },
      error: "challenge_expired",
    },
    {
      name: "signed by another user's key (their own valid assertion)",
      make: async (_s, step) => {
        const other = await userWithPasskeys();
        return other.authenticator.assert(other.credential.id, step.options);
      },
      error: "passkey_rejected",
    },
    {
      name: "signed by a key that is not the credential's",
      make: (s, step) => assert(s, step.options.challenge, { signWith: newKeyPair().privateKey }),
      error: "passkey_rejected",
    },
    {
      name: "typed as a registration (webauthn.create)",
      make: (s, step) => assert(s, step.options.challenge, { type: "webauthn.create" }),
      error: "passkey_rejected",
    },
    {
      name: "without user presence",
      make: (s, step) => assert(s, step.options.challenge, { userPresent: false }),
      error: "passkey_rejected",
    },
    {
      name: "whose counter went back to 0 (a cloned authenticator)",
      make: (s, step) => assert(s, step.options.challenge, { counter: 0 }),
      error: "passkey_rejected",
    },
    {
      name: "whose counter did not increase (a replay from a clone)",
      make: (s, step) => assert(s, step.options.challenge, { counter: 1 }),
      error: "passkey_rejected",
    },
    {
      name: "for an unknown credential id",
      make: (s, step) => assert(s, step.options.challenge, { id: Buffer.from("no such key").toString("base64url") }),
      error: "passkey_rejected",
    },
    {
      name: "whose user handle names another user",
      make: (s, step) =>
        assert(s, step.options.challenge, { userHandle: Buffer.from("someone-else").toString("base64url") }),
      error: "passkey_rejected",
    },
    { name: "that is not an object", make: () => "garbage", error: "passkey_rejected" },
    { name: "that is null", make: () => null, error: "passkey_rejected" },
    {
      name: "without a signature",
      make: (s, step) => {
        const response = assert(s, step.options.challenge);
        return { ...response, response: { ...response.response, signature: undefined } };
      },
      error: "passkey_rejected",
    },
    {
      name: "with an oversized field",
      make: (s, step) => {
        const response = assert(s, step.options.challenge);
        return { ...response, response: { ...response.response, signature: "A".repeat(100_000) } };
      },
      error: "passkey_rejected",
    },
  ];

  it.each(forgeries)("refuses an assertion $name and changes nothing", async (forgery) => {
    const setup = await userWithPasskeys();
    // A first, genuine use, so the stored counter is non-zero and a replayed counter shows.
    const first = await secondStep(setup.user.id);
    const genuine = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: setup.user.id,
      loginChallengeId: first.loginChallengeId,
      response: assert(setup, first.options.challenge),
      now: at,
    });
    expect(genuine.ok).toBe(true);
    const before = await storedCredential(setup.credential.id);
    const later = new Date(at.getTime() + 60_000);
    const step = await secondStep(setup.user.id, at);
    const response = await forgery.make(setup, step);

    const result = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: setup.user.id,
      loginChallengeId: step.loginChallengeId,
      response,
      now: forgery.now ?? later,
    });

    // At the second step, the user is known, so the failure counts towards their lockout.
    expect(result).toEqual({ ok: false, error: forgery.error, userId: setup.user.id });
    expect(await storedCredential(setup.credential.id)).toEqual(before);
  });

  it("refuses a second use of an assertion that was accepted", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { loginChallengeId, options } = await secondStep(user.id);
    const response = authenticator.assert(credential.id, options);
    const verify = () =>
      verifyPasskeyAssertion({ purpose: "second_factor", userId: user.id, loginChallengeId, response, now: at });

    expect(await verify()).toMatchObject({ ok: true });
    expect(await verify()).toEqual({ ok: false, error: ErrorCode.challengeExpired, userId: user.id });
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 1 });
  });

  it("refuses a key that another of the user's credentials claims (swapped credential id)", async () => {
    const { user, authenticator, credentials } = await userWithPasskeys(2);
    const { loginChallengeId, options } = await secondStep(user.id);
    const response = authenticator.assert(credentials[0].id, options, { id: credentials[1].id });

    const result = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: user.id,
      loginChallengeId,
      response,
      now: at,
    });

    expect(result).toEqual({ ok: false, error: ErrorCode.passkeyRejected, userId: user.id });
    for (const credential of credentials) {
      expect(await storedCredential(credential.id)).toMatchObject({ signCount: 0, lastUsedAt: null });
    }
  });
});

describe("verifyPasskeyAssertion without a password", () => {
  it("offers any discoverable key and binds the challenge to the browser's token (hash only)", async () => {
    const { options, browserToken } = await startPasskeyPasswordless({ now: at });

    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("preferred");
    expect(browserToken.length).toBeGreaterThanOrEqual(43);
    const stored = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(options.challenge) },
    });
    expect(stored).toMatchObject({ purpose: "passwordless", browserTokenHash: hashToken(browserToken), userId: null });
    expect(await db.webAuthnChallenge.count({ where: { browserTokenHash: browserToken } })).toBe(0);
  });

  // Attack: a stranger starts sign-ins without end to fill the database.
  it("clears challenges that have expired when new ones are issued", async () => {
    const expiry = (offsetMs: number) => new Date(Date.now() + offsetMs);
    const dead = await db.webAuthnChallenge.create({
      data: { challengeHash: hashToken(crypto.randomUUID()), purpose: "passwordless", expiresAt: expiry(-1_000) },
    });
    const live = await db.webAuthnChallenge.create({
      data: { challengeHash: hashToken(crypto.randomUUID()), purpose: "passwordless", expiresAt: expiry(60_000) },
    });

    await startPasskeyPasswordless();

    expect(await db.webAuthnChallenge.findUnique({ where: { id: dead.id } })).toBeNull();
    expect(await db.webAuthnChallenge.findUnique({ where: { id: live.id } })).not.toBeNull();
  });

  it("signs in whoever owns the key, saying whether the user was verified", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { options, browserToken } = await startPasskeyPasswordless({ now: at });
    const response = authenticator.assert(credential.id, options);

    const result = await verifyPasskeyAssertion({ purpose: "passwordless", browserToken, response, now: at });

    expect(result).toEqual({
      ok: true,
      userId: user.id,
      passkeyId: credential.passkeyId,
      passkeyName: "Key 1",
      userVerified: true,
    });
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 1, lastUsedAt: at });
  });

  it("reports an unverified user (UV flag not set) for the caller to decide", async () => {
    const { authenticator, credential } = await userWithPasskeys();
    const { options, browserToken } = await startPasskeyPasswordless({ now: at });
    const response = authenticator.assert(credential.id, options, { userVerified: false });

    expect(await verifyPasskeyAssertion({ purpose: "passwordless", browserToken, response, now: at })).toMatchObject({
      ok: true,
      userVerified: false,
    });
  });

  it("refuses a challenge issued to another browser", async () => {
    const { authenticator, credential } = await userWithPasskeys();
    const { options } = await startPasskeyPasswordless({ now: at });
    const theirs = await startPasskeyPasswordless({ now: at });
    const response = authenticator.assert(credential.id, options);

    const result = await verifyPasskeyAssertion({
      purpose: "passwordless",
      browserToken: theirs.browserToken,
      response,
      now: at,
    });

    expect(result).toEqual({ ok: false, error: ErrorCode.challengeExpired });
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 0, lastUsedAt: null });
  });

  it("refuses a second-step challenge", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { options } = await secondStep(user.id);
    const { browserToken } = await startPasskeyPasswordless({ now: at });
    const response = authenticator.assert(credential.id, options);

    expect(await verifyPasskeyAssertion({ purpose: "passwordless", browserToken, response, now: at })).toEqual({
      ok: false,
      error: ErrorCode.challengeExpired,
    });
  });

  it("pins a failure on the key's owner when the key is known, and says when the key is unknown", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const forged = await startPasskeyPasswordless({ now: at });
    const badSignature = authenticator.assert(credential.id, forged.options, { signWith: newKeyPair().privateKey });
    const unknown = await startPasskeyPasswordless({ now: at });
    const unknownKey = authenticator.assert(credential.id, unknown.options, {
      id: Buffer.from("no such key").toString("base64url"),
    });

    expect(
      await verifyPasskeyAssertion({
        purpose: "passwordless",
        browserToken: forged.browserToken,
        response: badSignature,
        now: at,
      }),
    ).toEqual({ ok: false, error: ErrorCode.passkeyRejected, userId: user.id });
    expect(
      await verifyPasskeyAssertion({
        purpose: "passwordless",
        browserToken: unknown.browserToken,
        response: unknownKey,
        now: at,
      }),
    ).toEqual({ ok: false, error: ErrorCode.passkeyUnknown });
  });

  // "Unknown" is said only to the browser the challenge was issued to, for a live challenge.
  it("says nothing of an unknown key with a challenge of another browser, or used up", async () => {
    const { authenticator, credential } = await userWithPasskeys();
    const mine = await startPasskeyPasswordless({ now: at });
    const theirs = await startPasskeyPasswordless({ now: at });
    const unknownKey = authenticator.assert(credential.id, theirs.options, {
      id: Buffer.from("no such key").toString("base64url"),
    });
    const verify = (browserToken: string) =>
      verifyPasskeyAssertion({ purpose: "passwordless", browserToken, response: unknownKey, now: at });

    expect(await verify(mine.browserToken)).toEqual({ ok: false, error: ErrorCode.challengeExpired });
    expect(await verify(theirs.browserToken)).toEqual({ ok: false, error: ErrorCode.passkeyUnknown });
    expect(await verify(theirs.browserToken)).toEqual({ ok: false, error: ErrorCode.challengeExpired });
  });
});

// Attack: one captured assertion submitted twice at once, racing the single-use check.
describe("a credential id over 1023 bytes", () => {
  // W3C WebAuthn L3 caps credential ids at 1023 bytes. Registration refuses longer ones;
  // a key saved before it did, or an answer naming one, must not sign anyone in.
  it("is refused at the second step and without a password, and the key is left as it was", async () => {
    const user = await createUser();
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const userHandle = Buffer.from(user.id, "utf8").toString("base64url");
    const { credential } = authenticator.register(
      { challenge: "c2F2ZWQtYmVmb3Jl", user: { id: userHandle } },
      { idBytes: 1024 },
    );
    await db.webAuthnCredential.create({
      data: {
        userId: user.id,
        credentialId: credential.id,
        publicKey: credential.publicKey,
        name: "Saved before the check",
        transports: ["internal"],
        deviceType: "singleDevice",
        createdAt: at,
      },
    });

    const { loginChallengeId, options } = await secondStep(user.id);
    expect(
      await verifyPasskeyAssertion({
        purpose: "second_factor",
        userId: user.id,
        loginChallengeId,
        response: authenticator.assert(credential.id, options),
        now: at,
      }),
    ).toEqual({ ok: false, error: ErrorCode.passkeyRejected, userId: user.id });

    const passwordless = await startPasskeyPasswordless({ now: at });
    expect(
      await verifyPasskeyAssertion({
        purpose: "passwordless",
        browserToken: passwordless.browserToken,
        response: authenticator.assert(credential.id, passwordless.options),
        now: at,
      }),
    ).toMatchObject({ ok: false, error: ErrorCode.passkeyRejected });
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 0, lastUsedAt: null });
  });
});

describe("concurrent use", () => {
  it("accepts exactly one of two simultaneous submissions of the same assertion", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const { loginChallengeId, options } = await secondStep(user.id);
    const response = authenticator.assert(credential.id, options);
    const verify = () =>
      verifyPasskeyAssertion({ purpose: "second_factor", userId: user.id, loginChallengeId, response, now: at });

    const results = await Promise.all([verify(), verify(), verify()]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 1 });
  });

  it("accepts one of two assertions with the same counter on different challenges (a clone racing the original)", async () => {
    const { user, authenticator, credential } = await userWithPasskeys();
    const first = await secondStep(user.id);
    const second = await secondStep(user.id);
    const a = authenticator.assert(credential.id, first.options, { counter: 5 });
    const b = authenticator.assert(credential.id, second.options, { counter: 5 });

    const results = await Promise.all([
      verifyPasskeyAssertion({
        purpose: "second_factor",
        userId: user.id,
        loginChallengeId: first.loginChallengeId,
        response: a,
        now: at,
      }),
      verifyPasskeyAssertion({
        purpose: "second_factor",
        userId: user.id,
        loginChallengeId: second.loginChallengeId,
        response: b,
        now: at,
      }),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await storedCredential(credential.id)).toMatchObject({ signCount: 5 });
  });
});
