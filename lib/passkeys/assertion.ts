import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server";
import { ErrorCode } from "@/lib/errors";
import type { Verifier } from "@/lib/factors/verifier";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import {
  authenticationResponseSchema,
  challengeOf,
  consumeChallenge,
  knownTransports,
  MAX_SIGN_COUNT,
  relyingParty,
  storeChallenge,
  userHandleOf,
} from "./relying-party";

// Signing in with a passkey, at the second step after the password or without one: the
// options for navigator.credentials.get(), then its answer checked.

export async function startPasskeySecondFactor(options: {
  userId: string;
  loginChallengeId: string;
  now?: Date;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const now = options.now ?? new Date();
  const challenge = await storeChallenge(
    "second_factor",
    { userId: options.userId, loginChallengeId: options.loginChallengeId },
    now,
  );
  return optionsForOwnKeys(options.userId, challenge, "preferred");
}

// What navigator.credentials.get() is asked, naming the user's own keys only.
async function optionsForOwnKeys(
  userId: string,
  challenge: Uint8Array<ArrayBuffer>,
  userVerification: "preferred" | "required",
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await db.webAuthnCredential.findMany({
    where: { userId },
    select: { credentialId: true, transports: true },
    orderBy: { createdAt: "asc" },
  });
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge,
    allowCredentials: credentials.map((credential) => ({
      id: credential.credentialId,
      transports: knownTransports(credential.transports),
    })),
    userVerification,
  });
}

// Sudo mode by a passkey (README "Sudo mode"): only the user's own keys, and the
// authenticator must verify the person (PIN, fingerprint, face), since the passkey stands
// in for the password. Bound to this session, so a challenge from another browser is no use.
export async function startPasskeySudo(options: {
  userId: string;
  sessionId: string;
  now?: Date;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const now = options.now ?? new Date();
  const challenge = await storeChallenge("sudo", { userId: options.userId, sessionId: options.sessionId }, now);
  return optionsForOwnKeys(options.userId, challenge, "required");
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
  | { ok: false; error: typeof ErrorCode.passkeyRejected | typeof ErrorCode.challengeExpired; userId?: string }
  // Without a password only, and only once the challenge is this browser's own.
  | { ok: false; error: typeof ErrorCode.passkeyUnknown; userId?: undefined };

// Checks an assertion and records the use. No audit, lockout or session: the caller does those.
export async function verifyPasskeyAssertion(
  options:
    | { purpose: "second_factor"; userId: string; loginChallengeId: string; response: unknown; now?: Date }
    | { purpose: "sudo"; userId: string; sessionId: string; response: unknown; now?: Date }
    | { purpose: "passwordless"; browserToken: string; response: unknown; now?: Date },
): Promise<PasskeyAssertionResult> {
  const now = options.now ?? new Date();
  // The user the ceremony was started for: the key must be theirs.
  const expectedUser = options.purpose === "passwordless" ? undefined : options.userId;
  const rejected = (userId = expectedUser): PasskeyAssertionResult => ({
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
      : options.purpose === "sudo"
        ? { userId: options.userId, sessionId: options.sessionId }
        : { browserTokenHash: hashToken(options.browserToken) };
  if (!(await consumeChallenge(db, challenge, options.purpose, binding, now))) {
    return { ok: false, error: ErrorCode.challengeExpired, ...(expectedUser ? { userId: expectedUser } : {}) };
  }

  const credential = await db.webAuthnCredential.findUnique({ where: { credentialId: response.id } });
  // Saying so tells the browser nothing it does not know (it holds that id) and lets it
  // drop the passkey from its list; at the second step and for sudo mode only the user's
  // own keys are asked for.
  if (!credential) return expectedUser ? rejected() : { ok: false, error: ErrorCode.passkeyUnknown };
  // At the second step and for sudo mode the key must be this user's; without a password,
  // whoever owns it.
  if (expectedUser && credential.userId !== expectedUser) return rejected();
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

// The second step by a passkey: it answers the request made for this challenge (above),
// which also uses the request up; the log names the passkey.
export const passkeyVerifier: Verifier = {
  delivered: false,
  source: () => "passkey",
  async check({ userId, challenge, answer, now }) {
    const assertion = await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId,
      loginChallengeId: challenge.id,
      response: answer.response,
      now,
    });
    if (!assertion.ok) return { ok: false, error: ErrorCode.passkeyRejected };
    return { ok: true, code: "", audit: { passkeyId: assertion.passkeyId, name: assertion.passkeyName } };
  },
  redeem: async () => ({ ok: true }),
};
