import crypto from "node:crypto";
import { z } from "zod";
import { hashToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";

// Passkeys and security keys (WebAuthn Level 3). The browser signs our random challenge
// with a key that never leaves the authenticator; we keep the public key. A challenge is
// stored as its SHA-256 only, bound to what started the ceremony (a session, a login
// challenge or a browser cookie), and burnt by one conditional update before anything is
// verified, so each challenge gets exactly one try.
// Here is what both ceremonies (registration.ts, assertion.ts) and manage.ts share.

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
export const MAX_SIGN_COUNT = 2 ** 31 - 1;

// What browsers report (W3C WebAuthn §5.8.4); anything else is dropped, not stored.
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
type Transport = (typeof TRANSPORTS)[number];

type ChallengePurpose = "register" | "upgrade" | "second_factor" | "passwordless" | "sudo";

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
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const parsed = clientDataSchema.safeParse(JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")));
    return parsed.success ? parsed.data.challenge : null;
  } catch {
    return null;
  }
}

export function knownTransports(values: unknown): Transport[] {
  if (!Array.isArray(values)) return [];
  return values.filter((value): value is Transport => (TRANSPORTS as readonly unknown[]).includes(value));
}

// The user handle the authenticator stores with a discoverable credential: the user's id.
// It is opaque and carries nothing personal (W3C WebAuthn §14.6.1).
export function userHandleOf(userId: string) {
  return Buffer.from(userId, "utf8");
}

export function normalizeName(name: string): string | null {
  const trimmed = name.trim();
  // Control characters would let a name forge lines in emails and the audit log.
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) return null;
  return trimmed;
}

export async function storeChallenge(
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
export async function consumeChallenge(
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
