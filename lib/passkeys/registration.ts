import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { ErrorCode } from "@/lib/errors";
import { db, type Tx } from "@/lib/platform/db";
import { normalizeAaguid, providerName } from "./providers";
import {
  challengeOf,
  consumeChallenge,
  knownTransports,
  MAX_SIGN_COUNT,
  normalizeName,
  registrationResponseSchema,
  relyingParty,
  storeChallenge,
  userHandleOf,
} from "./relying-party";

// Adding a passkey: the options the browser's navigator.credentials.create() needs, then
// its answer checked and the new credential saved. `conditional`: a ceremony of the
// passkey upgrade (lib/passkeys/upgrade.ts), where the browser makes the passkey without
// a dialog; its challenge has a purpose of its own, so that only such a ceremony is
// finished without the user-presence flag.

export async function startPasskeyRegistration(options: {
  userId: string;
  sessionId: string;
  conditional?: boolean;
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
  const challenge = await storeChallenge(
    options.conditional ? "upgrade" : "register",
    { userId: user.id, sessionId: options.sessionId },
    now,
  );
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
  conditional?: boolean;
  now?: Date;
  tx?: Tx;
}): Promise<PasskeyRegistrationResult> {
  const now = options.now ?? new Date();
  const client = options.tx ?? db;
  // No name given: the provider's (README "Passkeys"), known once the answer is verified.
  const given = options.name.trim() ? normalizeName(options.name) : "";
  if (given === null) return { ok: false, error: ErrorCode.invalidName };
  const parsed = registrationResponseSchema.safeParse(options.response);
  if (!parsed.success) return { ok: false, error: ErrorCode.passkeyRejected };
  const response = parsed.data;
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge) return { ok: false, error: ErrorCode.passkeyRejected };
  const binding = { userId: options.userId, sessionId: options.sessionId };
  const purpose = options.conditional ? "upgrade" : "register";
  if (!(await consumeChallenge(client, challenge, purpose, binding, now))) {
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
      // W3C WebAuthn L3 §5.1.3: a passkey made by conditional create may come without
      // the user-presence flag; the challenge, issued once right after the password and a
      // second factor, stands in for it.
      requireUserPresence: !options.conditional,
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
  const aaguid = normalizeAaguid(info.aaguid);

  const passkey = await client.webAuthnCredential.create({
    data: {
      userId: options.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      name: given || providerName(aaguid),
      aaguid,
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
