// A passkey reaches an account only through a genuine, fresh answer to that user's own registration.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "@/lib/errors";
import { startPasskeyPasswordless } from "@/lib/passkeys/assertion";
import { finishPasskeyRegistration, startPasskeyRegistration } from "@/lib/passkeys/registration";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty } from "@/lib/passkeys/relying-party";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createUser, request } from "../factories";
import { createSoftAuthenticator } from "../soft-authenticator";

// Adding a passkey in My Profile. Attack: a response forged, replayed or carried over
// from another ceremony gets a key onto someone's account, which would then sign in as
// them. Each refusal must leave nothing behind.

const rp = relyingParty();
const at = new Date("2030-03-04T10:00:00Z");

async function signedInUser() {
  const user = await createUser();
  const { session } = await createSession(db, { userId: user.id, request, now: at });
  return { user, session, authenticator: createSoftAuthenticator({ origin: rp.origin, rpId: rp.id }) };
}

async function passkeysOf(userId: string) {
  return db.webAuthnCredential.findMany({ where: { userId } });
}

describe("startPasskeyRegistration", () => {
  it("asks for a discoverable ES256 key for this site and user, and stores only the challenge's hash", async () => {
    const { user, session } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });

    expect(options.rp).toEqual({ id: "localhost", name: "StrongSign" });
    expect(options.user).toMatchObject({ id: Buffer.from(user.id).toString("base64url"), name: user.email });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "preferred", userVerification: "preferred" });
    expect(options.attestation).toBe("none");
    expect(options.pubKeyCredParams.map((param) => param.alg)).toContain(-7);
    expect(Buffer.from(options.challenge, "base64url")).toHaveLength(32);

    const stored = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(options.challenge) },
    });
    expect(stored).toMatchObject({ purpose: "register", userId: user.id, sessionId: session.id, usedAt: null });
    expect(stored.expiresAt.getTime()).toBe(at.getTime() + PASSKEY_CHALLENGE_TTL_MS);
    const anyRowWithChallenge = await db.webAuthnChallenge.count({ where: { challengeHash: options.challenge } });
    expect(anyRowWithChallenge).toBe(0);
  });

  it("excludes the keys the user already has, so an authenticator is not registered twice", async () => {
    const { user, session, authenticator } = await signedInUser();
    const first = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { credential, response } = authenticator.register(first);
    expect(
      await finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "A", response, now: at }),
    ).toMatchObject({ ok: true });

    const second = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    expect(second.excludeCredentials).toEqual([{ id: credential.id, type: "public-key", transports: ["internal"] }]);
  });
});

describe("finishPasskeyRegistration", () => {
  it("saves the key, its counter, transports and backup state, with the trimmed name", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { credential, response } = authenticator.register(options);

    const result = await finishPasskeyRegistration({
      userId: user.id,
      sessionId: session.id,
      name: "  Work laptop ",
      response,
      now: at,
    });

    expect(result.ok).toBe(true);
    const [saved] = await passkeysOf(user.id);
    expect(result).toEqual({ ok: true, passkey: { id: saved.id, name: "Work laptop" } });
    expect(saved).toMatchObject({
      credentialId: credential.id,
      publicKey: credential.publicKey,
      name: "Work laptop",
      signCount: 0,
      transports: ["internal"],
      deviceType: "singleDevice",
      backedUp: false,
      aaguid: "00000000-0000-0000-0000-000000000000",
      createdAt: at,
      lastUsedAt: null,
    });
  });

  it("keeps the authenticator's AAGUID, and names the passkey after its provider when no name is given", async () => {
    const { user, session, authenticator } = await signedInUser();
    const register = async (name: string, aaguid: string) => {
      const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
      const { response } = authenticator.register(options, { aaguid });
      return finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name, response, now: at });
    };

    expect(await register("", "EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4")).toMatchObject({
      ok: true,
      passkey: { name: "Google Password Manager" },
    });
    expect(await register("   ", "00000000-0000-0000-0000-000000000000")).toMatchObject({
      ok: true,
      passkey: { name: "Security key" },
    });
    expect(await register("", "01020304-0506-0708-0102-030405060708")).toMatchObject({
      ok: true,
      passkey: { name: "Unknown provider" },
    });
    expect(await register("My phone", "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")).toMatchObject({
      ok: true,
      passkey: { name: "My phone" },
    });

    const saved = await db.webAuthnCredential.findMany({
      where: { userId: user.id },
      orderBy: { id: "asc" },
      select: { name: true, aaguid: true },
    });
    expect(saved).toEqual(
      expect.arrayContaining([
        { name: "Google Password Manager", aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4" },
        { name: "Security key", aaguid: "00000000-0000-0000-0000-000000000000" },
        { name: "Unknown provider", aaguid: "01020304-0506-0708-0102-030405060708" },
        { name: "My phone", aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4" },
      ]),
    );
    expect(saved).toHaveLength(4);
  });

  it("records a synced passkey as multi-device and backed up", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options, { backupEligible: true, backedUp: true });

    const result = await finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "Phone", response });

    expect(result.ok).toBe(true);
    expect(await passkeysOf(user.id)).toMatchObject([{ deviceType: "multiDevice", backedUp: true }]);
  });

  it("refuses an overlong or multi-line name without using up the challenge", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options);
    const base = { userId: user.id, sessionId: session.id, response, now: at };

    for (const name of ["x".repeat(65), "Laptop\nForged line", " \u0007 "]) {
      expect(await finishPasskeyRegistration({ ...base, name })).toEqual({ ok: false, error: ErrorCode.invalidName });
    }
    expect(await passkeysOf(user.id)).toHaveLength(0);
    // The user corrects the name and the same answer from the authenticator goes through.
    expect(await finishPasskeyRegistration({ ...base, name: "x".repeat(64) })).toMatchObject({ ok: true });
  });

  // W3C WebAuthn L3 §7.1 step 25: a credential id over 1023 bytes fails the registration.
  it("refuses a credential id over 1023 bytes, and takes one of exactly 1023", async () => {
    const { user, session, authenticator } = await signedInUser();
    const register = async (idBytes: number) => {
      const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
      const { response } = authenticator.register(options, { idBytes });
      return finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "Key", response, now: at });
    };

    expect(await register(1024)).toEqual({ ok: false, error: ErrorCode.passkeyRejected });
    expect(await passkeysOf(user.id)).toHaveLength(0);
    expect(await register(1023)).toMatchObject({ ok: true });
    expect(await passkeysOf(user.id)).toHaveLength(1);
  });

  it("commits nothing when the caller's transaction rolls back, challenge included", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options);
    const base = { userId: user.id, sessionId: session.id, name: "Key", response, now: at };

    await expect(
      db.$transaction(async (tx) => {
        expect(await finishPasskeyRegistration({ ...base, tx })).toMatchObject({ ok: true });
        throw new Error("the caller's audit failed");
      }),
    ).rejects.toThrow("the caller's audit failed");

    expect(await passkeysOf(user.id)).toHaveLength(0);
    expect(await finishPasskeyRegistration(base)).toMatchObject({ ok: true });
  });

  // Each forgery against a fresh, valid ceremony: refused, and nothing saved.
  type Forgery = {
    name: string;
    error: string;
    knobs?: Parameters<ReturnType<typeof createSoftAuthenticator>["register"]>[1];
    tamper?: (response: Record<string, unknown>) => unknown;
    challengeFrom?: "passwordless" | "other session" | "other user";
    now?: Date;
  };
  const forgeries: Forgery[] = [
    {
      name: "made on another origin (phishing site)",
      knobs: { origin: "https://strongsign.evil.test" },
      error: "passkey_rejected",
    },
    { name: "scoped to another relying party (rpIdHash)", knobs: { rpId: "evil.test" }, error: "passkey_rejected" },
    {
      name: "signing a challenge we never issued",
      knobs: { challenge: "bm90LW91ci1jaGFsbGVuZ2U" },
      error: "challenge_expired",
    },
    {
      name: "answering a sign-in request (type webauthn.get)",
      knobs: { type: "webauthn.get" },
      error: "passkey_rejected",
    },
    { name: "without user presence", knobs: { userPresent: false }, error: "passkey_rejected" },
    {
      name: "claiming an id other than the attested credential's",
      knobs: { id: Buffer.from("someone-elses-credential").toString("base64url") },
      error: "passkey_rejected",
    },
    {
      name: "after the challenge expired",
      now: new Date(at.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      error: "challenge_expired",
    },
    { name: "using a sign-in challenge", challengeFrom: "passwordless", error: "challenge_expired" },
    { name: "using a challenge issued to another session", challengeFrom: "other session", error: "challenge_expired" },
    { name: "using a challenge issued to another user", challengeFrom: "other user", error: "challenge_expired" },
    { name: "that is not an object", tamper: () => "garbage", error: "passkey_rejected" },
    { name: "without an attestation", tamper: (r) => ({ ...r, response: {} }), error: "passkey_rejected" },
    { name: "of another credential type", tamper: (r) => ({ ...r, type: "password" }), error: "passkey_rejected" },
    {
      name: "with an id that is not base64url",
      tamper: (r) => ({ ...r, id: "a/b+c=", rawId: "a/b+c=" }),
      error: "passkey_rejected",
    },
    {
      name: "with clientDataJSON that is not JSON",
      tamper: (r) => ({ ...r, response: { ...(r.response as object), clientDataJSON: "bm90IGpzb24" } }),
      error: "passkey_rejected",
    },
    {
      name: "with a corrupt attestation object",
      tamper: (r) => ({ ...r, response: { ...(r.response as object), attestationObject: "AAAA" } }),
      error: "passkey_rejected",
    },
  ];

  it.each(forgeries)("refuses a response $name and saves nothing", async (forgery) => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    let challenge = options.challenge;
    if (forgery.challengeFrom === "passwordless")
      challenge = (await startPasskeyPasswordless({ now: at })).options.challenge;
    if (forgery.challengeFrom === "other session") {
      const other = await createSession(db, { userId: user.id, request, now: at });
      challenge = (await startPasskeyRegistration({ userId: user.id, sessionId: other.session.id, now: at })).challenge;
    }
    if (forgery.challengeFrom === "other user") {
      const other = await signedInUser();
      challenge = (await startPasskeyRegistration({ userId: other.user.id, sessionId: other.session.id, now: at }))
        .challenge;
    }
    const { response } = authenticator.register({ ...options, challenge }, forgery.knobs);

    const result = await finishPasskeyRegistration({
      userId: user.id,
      sessionId: session.id,
      name: "Key",
      response: forgery.tamper ? forgery.tamper(response) : response,
      now: forgery.now ?? at,
    });

    expect(result).toEqual({ ok: false, error: forgery.error });
    expect(await passkeysOf(user.id)).toHaveLength(0);
    expect(await db.webAuthnCredential.count({ where: { credentialId: response.id } })).toBe(0);
  });

  it("accepts a response once: the same response again is refused", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options);
    const finish = () =>
      finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "Key", response, now: at });

    expect(await finish()).toMatchObject({ ok: true });
    expect(await finish()).toEqual({ ok: false, error: ErrorCode.challengeExpired });
    expect(await passkeysOf(user.id)).toHaveLength(1);
  });

  it("accepts one of two simultaneous submissions of the same response", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options);
    const finish = () =>
      finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "Key", response, now: at });

    const results = await Promise.all([finish(), finish()]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await passkeysOf(user.id)).toHaveLength(1);
  });
});
