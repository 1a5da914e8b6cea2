import { generateSecret, verify } from "otplib";
import { AuditType, audit } from "@/lib/audit/record";
import { TOTP_DIGITS, TOTP_DRIFT_STEPS, TOTP_PERIOD_SECONDS, TOTP_SECRET_BYTES, TOTP_SETUP_TTL_MS } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { decrypt, encrypt } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { addSecondFactor } from "./enrolled";
import type { Verifier } from "./verifier";

// Authenticator apps (docs/security-model.md, "Authenticator apps"): RFC 6238 with SHA-1, 6
// digits and 30 s steps, which is what every app supports. The secret is encrypted at rest
// under the user's id.

const DEFAULT_ISSUER = "StrongSign";
// Room for spaces and dashes, small enough that hostile input costs nothing.
const MAX_INPUT_LENGTH = 64;
const SIX_DIGITS = new RegExp(`^[0-9]{${TOTP_DIGITS}}$`);

const secretContext = (userId: string) => `totp:${userId}`;

// The name the app shows for the entry: the account's (organisation's) name. Pages that
// tell people which entry to use call this too, so they name what the QR code carried.
export function totpIssuer(accountName: string | undefined): string {
  return accountName?.trim() || DEFAULT_ISSUER;
}

// The Key URI Format that apps scan. Algorithm, digits and period are spelled out even
// though they are the defaults, so that no app has to guess.
export function totpUri(options: { secret: string; issuer?: string; email: string }): string {
  const issuer = totpIssuer(options.issuer);
  const parameters = {
    secret: options.secret,
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  };
  const query = Object.entries(parameters)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(options.email)}?${query}`;
}

// Blocks of four, for reading off the screen and typing into a phone.
export function formatSecretForDisplay(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? "";
}

// Exactly six ASCII digits once spaces and dashes are gone; null for anything else,
// including other scripts' digits, which would otherwise reach the verifier.
export function normalizeOtp(input: unknown): string | null {
  if (typeof input !== "string" || input.length > MAX_INPUT_LENGTH) return null;
  const compact = input.replace(/[\s-]/g, "");
  return SIX_DIGITS.test(compact) ? compact : null;
}

// The time step a code belongs to, within the drift window around `at`, or null. Digits
// are a parameter only so that RFC 6238's 8-digit test vectors go through the same path.
export async function matchTotpStep(options: {
  secret: string;
  code: string;
  at: Date;
  digits?: number;
}): Promise<number | null> {
  const result = await verify({
    secret: options.secret,
    token: options.code,
    algorithm: "sha1",
    digits: options.digits ?? TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(options.at.getTime() / 1000),
    epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS,
  });
  // The result type also covers HOTP, which has no time step.
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

type SetupOwner = { email: string; account: { name: string } };

function setupView(secret: string, user: SetupOwner) {
  return { secret, uri: totpUri({ secret, issuer: user.account.name, email: user.email }) };
}

// A new pending setup replaces any earlier one; the user's active 2FA is untouched until
// a code from the new secret confirms it.
export async function createTotpSetup(options: {
  userId: string;
  now?: Date;
}): Promise<{ secret: string; uri: string }> {
  const { userId } = options;
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
  const secret = generateSecret({ length: TOTP_SECRET_BYTES });
  const pending = {
    encryptedSecret: encrypt(secret, secretContext(userId)),
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOTP_SETUP_TTL_MS),
  };
  await db.totpSetup.upsert({ where: { userId }, create: { userId, ...pending }, update: pending });
  return setupView(secret, user);
}

// The pending setup, to show its QR code again (e.g. after a reload); null when there is
// none or it has expired.
export async function readTotpSetup(options: {
  userId: string;
  now?: Date;
}): Promise<{ secret: string; uri: string } | null> {
  const setup = await db.totpSetup.findUnique({
    where: { userId: options.userId },
    include: { user: { include: { account: true } } },
  });
  if (!setup || setup.expiresAt <= (options.now ?? new Date())) return null;
  return setupView(decrypt(setup.encryptedSecret, secretContext(options.userId)), setup.user);
}

export type ConfirmSetupResult =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; error: typeof ErrorCode.invalidCode | typeof ErrorCode.setupExpired };

// Turns the pending setup into the user's authenticator, next to any other methods. For a
// user who already had one (a new phone) this replaces secret and recovery codes; a first
// method comes with fresh codes; otherwise recoveryCodes is null and the user keeps theirs.
// As with any new method (addSecondFactor), every other session, API sign-in token and
// half-finished sign-in ends; `keepSessionId` is the browser confirming.
export async function confirmTotpSetup(options: {
  userId: string;
  code: string;
  keepSessionId?: string;
  request: RequestInfo;
  now?: Date;
}): Promise<ConfirmSetupResult> {
  const { userId } = options;
  const now = options.now ?? new Date();
  const setup = await db.totpSetup.findUnique({ where: { userId }, include: { user: true } });
  if (!setup || setup.expiresAt <= now) return { ok: false, error: ErrorCode.setupExpired };
  const code = normalizeOtp(options.code);
  const step = code
    ? await matchTotpStep({ secret: decrypt(setup.encryptedSecret, secretContext(userId)), code, at: now })
    : null;
  if (step === null) return { ok: false, error: ErrorCode.invalidCode };

  const { user } = setup;
  const replacing = (await db.totpCredential.count({ where: { userId } })) > 0;
  const confirmed = await db.$transaction(async (tx) => {
    // Deleting the setup claims it: a setup replaced meanwhile, or confirmed by a
    // simultaneous request, confirms nothing here.
    const { count } = await tx.totpSetup.deleteMany({ where: { id: setup.id } });
    if (count !== 1) return undefined;
    // The code that confirmed the setup counts as used, so it cannot also sign in.
    const credential = { encryptedSecret: setup.encryptedSecret, lastUsedStep: step, createdAt: now };
    await tx.totpCredential.upsert({ where: { userId }, create: { userId, ...credential }, update: credential });
    // docs/security-model.md, "Turning two-factor authentication off": re-binding the app
    // replaces the codes too; an app added next to other methods keeps the codes the user
    // has, unless none are left.
    const { first, sessionsEnded, recoveryCodes } = await addSecondFactor(tx, {
      userId,
      method: "totp",
      keepSessionId: options.keepSessionId,
      now,
      renewRecoveryCodes: replacing,
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.twoFactorEnabled,
      actorId: userId,
      targetId: userId,
      request: options.request,
      data: { method: "totp", replaced: replacing, sessionsEnded },
    });
    return { recoveryCodes, change: replacing ? "replaced" : first ? "first" : "added" } as const;
  });
  if (!confirmed) return { ok: false, error: ErrorCode.setupExpired };

  await sendEmail({
    to: user.email,
    userId,
    ...emails.authenticatorEnabled({ name: user.name, change: confirmed.change }),
  });
  return { ok: true, recoveryCodes: confirmed.recoveryCodes };
}

export type TotpVerification =
  | { ok: true }
  | { ok: false; error: typeof ErrorCode.invalidCode | typeof ErrorCode.replayed };

// For sign-in and for disabling 2FA. Takes the caller's transaction so that the code's
// use commits together with what it unlocks.
export async function verifyTotpCode(
  tx: Tx,
  options: { userId: string; code: string; now?: Date; credential?: { encryptedSecret: string } | null },
): Promise<TotpVerification> {
  const { userId } = options;
  const code = normalizeOtp(options.code);
  // The second step has the secret already, read with its challenge (lib/sign-in/login-challenge.ts).
  const credential =
    options.credential !== undefined
      ? options.credential
      : await tx.totpCredential.findUnique({ where: { userId }, select: { encryptedSecret: true } });
  if (!code || !credential) return { ok: false, error: ErrorCode.invalidCode };
  const step = await matchTotpStep({
    secret: decrypt(credential.encryptedSecret, secretContext(userId)),
    code,
    at: options.now ?? new Date(),
  });
  if (step === null) return { ok: false, error: ErrorCode.invalidCode };
  // A step at or before the last accepted one is a replay, also when another browser or
  // app instance accepted it a moment ago: this one conditional update decides. It also
  // names the secret the code was checked against, so a code of an app replaced meanwhile
  // is refused as the wrong code it now is.
  const { count } = await tx.totpCredential.updateMany({
    where: { userId, encryptedSecret: credential.encryptedSecret, lastUsedStep: { lt: step } },
    data: { lastUsedStep: step },
  });
  if (count === 1) return { ok: true };
  const current = await tx.totpCredential.findUnique({ where: { userId }, select: { encryptedSecret: true } });
  const replaced = current?.encryptedSecret !== credential.encryptedSecret;
  return { ok: false, error: replaced ? ErrorCode.invalidCode : ErrorCode.replayed };
}

// The second step by an app's code (lib/factors/verifiers.ts): the code's use commits with
// the sign-in step, so a code refused there is not used up.
export const totpVerifier: Verifier = {
  delivered: false,
  source: () => "app",
  async check({ answer }) {
    const code = normalizeOtp(answer.code);
    return code ? { ok: true, code } : { ok: false, error: ErrorCode.invalidFormat };
  },
  redeem: (tx, { userId, code, now, challenge }) =>
    verifyTotpCode(tx, { userId, code, now, credential: challenge.user.totpCredential }),
};

// The app's secret and any pending app setup, when the app stops being the user's factor.
export async function forgetAuthenticator(tx: Tx, userId: string) {
  await tx.totpCredential.deleteMany({ where: { userId } });
  await tx.totpSetup.deleteMany({ where: { userId } });
}
