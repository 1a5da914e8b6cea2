// Bytes a real browser once made still register and sign in, so an upgrade cannot change what verifies unnoticed.
import { describe, expect, it } from "vitest";
import { verifyPasskeyAssertion } from "@/lib/passkeys/assertion";
import { finishPasskeyRegistration } from "@/lib/passkeys/registration";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty } from "@/lib/passkeys/relying-party";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { createUser, request } from "../factories";
import assertion from "../fixtures/webauthn-assertion.json";
import registration from "../fixtures/webauthn-registration.json";

// A registration and an assertion recorded once, byte for byte, with the challenges and
// origin they were made for. The other tests make fresh ones with the same code that
// checks them; these stay fixed, so a change in how @simplewebauthn reads real bytes
// (an upgrade, a changed default) fails here.

const at = new Date();

// The challenge as startPasskey* would have stored it: only its hash.
async function issue(challenge: string, purpose: string, binding: Record<string, string>) {
  await db.webAuthnChallenge.create({
    data: {
      challengeHash: hashToken(challenge),
      purpose,
      ...binding,
      createdAt: at,
      expiresAt: new Date(at.getTime() + PASSKEY_CHALLENGE_TTL_MS),
    },
  });
}

describe("recorded WebAuthn responses", () => {
  it("were made for this relying party", () => {
    expect(relyingParty()).toEqual({ id: registration.rpId, name: "StrongSign", origin: registration.origin });
    expect(assertion.origin).toBe(registration.origin);
  });

  it("register the recorded key, then sign in with the recorded assertion", async () => {
    const user = await createUser();
    const { session } = await createSession(db, { userId: user.id, request, now: at });
    await issue(registration.challenge, "register", { userId: user.id, sessionId: session.id });

    const registered = await finishPasskeyRegistration({
      userId: user.id,
      sessionId: session.id,
      name: "Recorded key",
      response: registration.response,
      now: at,
    });

    expect(registered.ok).toBe(true);
    const stored = await db.webAuthnCredential.findUniqueOrThrow({
      where: { credentialId: registration.expected.credentialId },
    });
    expect(stored).toMatchObject({
      userId: user.id,
      publicKey: registration.expected.publicKey,
      signCount: registration.expected.counter,
      transports: registration.expected.transports,
      deviceType: registration.expected.deviceType,
      backedUp: registration.expected.backedUp,
    });

    const { challenge } = await createLoginChallenge(db, {
      userId: user.id,
      pendingFactor: "passkey",
      request,
      now: at,
    });
    await issue(assertion.challenge, "second_factor", { userId: user.id, loginChallengeId: challenge.id });
    const verified = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: user.id,
      loginChallengeId: challenge.id,
      response: assertion.response,
      now: at,
    });

    expect(verified).toEqual({
      ok: true,
      userId: user.id,
      passkeyId: stored.id,
      passkeyName: stored.name,
      userVerified: assertion.expected.userVerified,
    });
    expect(await db.webAuthnCredential.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({
      signCount: assertion.expected.counter,
    });
  });
});
