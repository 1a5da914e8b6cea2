import crypto from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { z } from "zod";
import { ErrorCode } from "@/lib/errors";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";

// Passkeys and security keys (WebAuthn Level 3). The browser signs our random challenge
// with a key that never leaves the authenticator; we keep the public key. A challenge is
// stored as its SHA-256 only, bound to what started the ceremony (a session, a login
// challenge or a browser cookie), and burnt by one conditional update before anything is
// verified, so each challenge gets exactly one try.

export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32; // W3C WebAuthn §13.4.3: at least 16 random bytes
const MAX_NAME_LENGTH = 64;
// Generous for any real authenticator's output, small enough that hostile input costs nothing.
const MAX_FIELD_LENGTH = 16_384;
// W3C WebAuthn L3 §7.1 step 25 ("Verify that the credentialId is ≤ 1023 bytes"): a longer
// id fails the registration. It is refused at sign-in too, where only a forged answer (or
// a key saved before this check) could bring one.
const MAX_CREDENTIAL_ID_BYTES = 1023;
// The WebAuthn signature counter is 32 bits; the column holds a signed 32-bit integer on
// PostgreSQL. No authenticator gets near it (most count per credential, many stay at 0).
const MAX_SIGN_COUNT = 2 ** 31 - 1;

// What browsers report (W3C WebAuthn §5.8.4); anything else is dropped, not stored.
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
type Transport = (typeof TRANSPORTS)[number];

type ChallengePurpose = "register" | "second_factor" | "passwordless";

export function relyingParty(): { id: string; name: string; origin: string } {
  const url = new URL(env().APP_URL);
  return { id: url.hostname, name: "StrongSign", origin: url.origin };
}

const base64url = z
  .string()
  .min(1)
  .max(MAX_FIELD_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);

const credentialId = base64url.refine((id) => Buffer.from(id, "base64url").length <= MAX_CREDENTIAL_ID_BYTES);

// What a browser posts after navigator.credentials.create() (@simplewebauthn/browser's
// RegistrationResponseJSON); unknown keys are dropped.
export const registrationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

// ...and after navigator.credentials.get() (AuthenticationResponseJSON).
export const authenticationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

const clientDataSchema = z.object({ challenge: base64url });

// The challenge the browser says it signed, read before verification only to find the
// stored challenge; verification then checks it against what we stored.
function challengeOf(clientDataJSON: string): string | null {
  try {
    const parsed = clientDataSchema.safeParse(JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")));
    return parsed.success ? parsed.data.challenge : null;
  } catch {
    return null;
  }
}

function knownTransports(values: unknown): Transport[] {
  if (!Array.isArray(values)) return [];
  return values.filter((value): value is Transport => (TRANSPORTS as readonly unknown[]).includes(value));
}

// The user handle the authenticator stores with a discoverable credential: the user's id.
// It is opaque and carries nothing personal (W3C WebAuthn §14.6.1).
function userHandleOf(userId: string) {
  return Buffer.from(userId, "utf8");
}

function normalizeName(name: string): string | null {
  const trimmed = name.trim();
  // Control characters would let a name forge lines in emails and the audit log.
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) return null;
  return trimmed;
}

async function storeChallenge(
  purpose: ChallengePurpose,
  binding: { userId?: string; sessionId?: string; loginChallengeId?: string; browserTokenHash?: string },
  now: Date,
) {
  const challenge = crypto.randomBytes(CHALLENGE_BYTES);
  // Anyone can start a sign-in without a password, so dead challenges are cleared as new
  // ones come (by the index on expiresAt). By the wall clock, not `now`: housekeeping must
  // never remove a challenge that is still live.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.webAuthnChallenge.create({
    data: {
      challengeHash: hashToken(challenge.toString("base64url")),
      purpose,
      ...binding,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
    },
  });
  return new Uint8Array(challenge);
}

// Burns the challenge if, and only if, it is live and bound to exactly this ceremony. One
// conditional update decides, so of two simultaneous uses exactly one goes on.
async function consumeChallenge(
  client: Tx,
  challenge: string,
  purpose: ChallengePurpose,
  binding: { userId?: string; sessionId?: string; loginChallengeId?: string; browserTokenHash?: string },
  now: Date,
) {
  const { count } = await client.webAuthnChallenge.updateMany({
    where: { challengeHash: hashToken(challenge), purpose, ...binding, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

export async function startPasskeyRegistration(options: {
  userId: string;
  sessionId: string;
  now?: Date;
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({
    where: { id: options.userId },
    select: {
      id: true,
      email: true,
      name: true,
      webAuthnCredentials: { select: { credentialId: true, transports: true } },
    },
  });
  const challenge = await storeChallenge("register", { userId: user.id, sessionId: options.sessionId }, now);
  const rp = relyingParty();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleOf(user.id),
    userName: user.email,
    userDisplayName: user.name,
    challenge,
    attestationType: "none",
    excludeCredentials: user.webAuthnCredentials.map((credential) => ({
      id: credential.credentialId,
      transports: knownTransports(credential.transports),
    })),
    // Discoverable where the authenticator can, so that the same passkey also signs in
    // without a password; a security key without a PIN may only make a key the server
    // names at the second step, and is welcome as that.
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

export type PasskeyRegistrationResult =
  | { ok: true; passkey: { id: string; name: string } }
  | {
      ok: false;
      error: typeof ErrorCode.passkeyRejected | typeof ErrorCode.challengeExpired | typeof ErrorCode.invalidName;
    };

// Saves the new credential only. The caller audits, emails and changes the user's method
// in its own transaction, passed as `tx`, so that all of it commits or none does.
export async function finishPasskeyRegistration(options: {
  userId: string;
  sessionId: string;
  name: string;
  response: unknown;
  now?: Date;
  tx?: Tx;
}): Promise<PasskeyRegistrationResult> {
  const now = options.now ?? new Date();
  const client = options.tx ?? db;
  const name = normalizeName(options.name);
  if (!name) return { ok: false, error: ErrorCode.invalidName };
  const parsed = registrationResponseSchema.safeParse(options.response);
  if (!parsed.success) return { ok: false, error: ErrorCode.passkeyRejected };
  const response = parsed.data;
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge) return { ok: false, error: ErrorCode.passkeyRejected };
  const binding = { userId: options.userId, sessionId: options.sessionId };
  if (!(await consumeChallenge(client, challenge, "register", binding, now))) {
    return { ok: false, error: ErrorCode.challengeExpired };
  }

  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: {
        ...response,
        response: { ...response.response, transports: knownTransports(response.response.transports) },
      },
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: "webauthn.create",
      requireUserPresence: true,
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, error: ErrorCode.passkeyRejected };
  }
  // Every field is checked, not only `verified`: a result is trusted for what it says.
  const info = verification.registrationInfo;
  if (
    verification.verified !== true ||
    !info ||
    info.credentialType !== "public-key" ||
    info.origin !== rp.origin ||
    info.rpID !== rp.id ||
    info.credential.id !== response.id ||
    info.credential.counter > MAX_SIGN_COUNT
  ) {
    return { ok: false, error: ErrorCode.passkeyRejected };
  }
  // excludeCredentials asks the browser not to register a key twice; this makes sure.
  const existing = await client.webAuthnCredential.findUnique({
    where: { credentialId: info.credential.id },
    select: { id: true },
  });
  if (existing) return { ok: false, error: ErrorCode.passkeyRejected };

  const passkey = await client.webAuthnCredential.create({
    data: {
      userId: options.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      name,
      signCount: info.credential.counter,
      transports: knownTransports(info.credential.transports),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      createdAt: now,
    },
    select: { id: true, name: true },
  });
  return { ok: true, passkey };
}

export async function startPasskeySecondFactor(options: {
  userId: string;
  loginChallengeId: string;
  now?: Date;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const now = options.now ?? new Date();
  const credentials = await db.webAuthnCredential.findMany({
    where: { userId: options.userId },
    select: { credentialId: true, transports: true },
    orderBy: { createdAt: "asc" },
  });
  const challenge = await storeChallenge(
    "second_factor",
    { userId: options.userId, loginChallengeId: options.loginChallengeId },
    now,
  );
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge,
    allowCredentials: credentials.map((credential) => ({
      id: credential.credentialId,
      transports: knownTransports(credential.transports),
    })),
    userVerification: "preferred",
  });
}

// No allowCredentials: the authenticator offers its discoverable credentials for this
// site. The challenge is bound to the browser that asked by a token the caller keeps in
// an HttpOnly cookie, so a challenge phished from one browser is no use in another.
export async function startPasskeyPasswordless(options: { now?: Date } = {}): Promise<{
  options: PublicKeyCredentialRequestOptionsJSON;
  browserToken: string;
}> {
  const now = options.now ?? new Date();
  const browserToken = randomToken(32);
  const challenge = await storeChallenge("passwordless", { browserTokenHash: hashToken(browserToken) }, now);
  const requestOptions = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge,
    userVerification: "preferred",
  });
  return { options: requestOptions, browserToken };
}

export type PasskeyAssertionResult =
  | { ok: true; userId: string; passkeyId: string; passkeyName: string; userVerified: boolean }
  // userId is set when the failure can be pinned on a user (a known credential or the
  // second step's user), so the caller can count it towards that user's lockout.
  | { ok: false; error: typeof ErrorCode.passkeyRejected | typeof ErrorCode.challengeExpired; userId?: string };

// Checks an assertion and records the use. No audit, lockout or session: the caller does those.
export async function verifyPasskeyAssertion(
  options:
    | { purpose: "second_factor"; userId: string; loginChallengeId: string; response: unknown; now?: Date }
    | { purpose: "passwordless"; browserToken: string; response: unknown; now?: Date },
): Promise<PasskeyAssertionResult> {
  const now = options.now ?? new Date();
  const secondFactorUser = options.purpose === "second_factor" ? options.userId : undefined;
  const rejected = (userId = secondFactorUser): PasskeyAssertionResult => ({
    ok: false,
    error: ErrorCode.passkeyRejected,
    ...(userId ? { userId } : {}),
  });

  const parsed = authenticationResponseSchema.safeParse(options.response);
  if (!parsed.success) return rejected();
  const response = parsed.data;
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge) return rejected();
  const binding =
    options.purpose === "second_factor"
      ? { userId: options.userId, loginChallengeId: options.loginChallengeId }
      : { browserTokenHash: hashToken(options.browserToken) };
  if (!(await consumeChallenge(db, challenge, options.purpose, binding, now))) {
    return { ok: false, error: ErrorCode.challengeExpired, ...(secondFactorUser ? { userId: secondFactorUser } : {}) };
  }

  const credential = await db.webAuthnCredential.findUnique({ where: { credentialId: response.id } });
  if (!credential) return rejected();
  // At the second step the key must be this user's; without a password, whoever owns it.
  if (secondFactorUser && credential.userId !== secondFactorUser) return rejected();
  const owner = credential.userId;
  // A discoverable credential reports whose it is; it must agree with our records.
  if (
    response.response.userHandle !== undefined &&
    response.response.userHandle !== userHandleOf(owner).toString("base64url")
  ) {
    return rejected(owner);
  }

  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: "webauthn.get",
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, "base64url")),
        counter: credential.signCount,
        transports: knownTransports(credential.transports),
      },
      requireUserVerification: false,
    });
  } catch {
    return rejected(owner);
  }
  // A failed signature comes back as verified: false, not as an exception: check it, and
  // every other field, rather than trusting that no exception means success.
  const info = verification.authenticationInfo;
  const newCounter = info.newCounter;
  const counterGoesBack = (newCounter > 0 || credential.signCount > 0) && newCounter <= credential.signCount;
  if (
    verification.verified !== true ||
    info.credentialID !== credential.credentialId ||
    info.origin !== rp.origin ||
    info.rpID !== rp.id ||
    counterGoesBack ||
    newCounter > MAX_SIGN_COUNT
  ) {
    return rejected(owner);
  }

  // Conditional on the counter we read, so of two uses of one assertion only one counts.
  const { count } = await db.webAuthnCredential.updateMany({
    where: { id: credential.id, signCount: credential.signCount },
    data: { signCount: newCounter, backedUp: info.credentialBackedUp, lastUsedAt: now },
  });
  if (count !== 1) return rejected(owner);
  return {
    ok: true,
    userId: owner,
    passkeyId: credential.id,
    passkeyName: credential.name,
    userVerified: info.userVerified === true,
  };
}

function transportsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export async function listPasskeys(userId: string): Promise<
  Array<{
    id: string;
    name: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    transports: string[];
    deviceType: string;
    backedUp: boolean;
    signCount: number;
  }>
> {
  const rows = await db.webAuthnCredential.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      createdAt: true,
      lastUsedAt: true,
      transports: true,
      deviceType: true,
      backedUp: true,
      signCount: true,
    },
  });
  return rows.map((row) => ({ ...row, transports: transportsOf(row.transports) }));
}

export async function renamePasskey(options: {
  userId: string;
  passkeyId: string;
  name: string;
}): Promise<{ ok: true } | { ok: false; error: typeof ErrorCode.notFound | typeof ErrorCode.invalidName }> {
  const name = normalizeName(options.name);
  if (!name) return { ok: false, error: ErrorCode.invalidName };
  const { count } = await db.webAuthnCredential.updateMany({
    where: { id: options.passkeyId, userId: options.userId },
    data: { name },
  });
  return count === 1 ? { ok: true } : { ok: false, error: ErrorCode.notFound };
}
