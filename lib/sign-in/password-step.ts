import { type AuditInput, AuditType, audit } from "@/lib/audit/record";
import { PASSKEY_UPGRADE_WINDOW_MS, PASSWORD_FREE_ATTEMPTS_PER_EMAIL } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { readMethods } from "@/lib/factors/enrolled";
import { describeUserAgent } from "@/lib/format/user-agent";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { db, type Tx } from "@/lib/platform/db";
import { observePasswordRateLimited, observeSignIn } from "@/lib/platform/observe";
import {
  clearFailures,
  isIpKey,
  type LimitKey,
  passwordLimitKeys,
  recordFailure,
  retryAfterMs,
} from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { createSession } from "@/lib/sessions/sessions";
import { deviceRateLimitKey, isKnownAddress, recognisedDevice, renewDeviceToken } from "./known-device";
import { UNLOCKED } from "./lockout";
import {
  type CompletedChallenge,
  consumeCompletedChallenge,
  createLoginChallenge,
  type PendingFactor,
} from "./login-challenge";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { rememberThisBrowser } from "./remembered-browser";

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export type PasswordStepResult =
  | { ok: true; userId: string; challengeToken: string; challengeId: string; pendingFactor: PendingFactor }
  | {
      ok: false;
      error: typeof ErrorCode.invalidCredentials | typeof ErrorCode.accountDisabled | typeof ErrorCode.passkeyOnly;
    }
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number; recognised: boolean };

// Which counters a password attempt is judged by (docs/security-model.md, "Limits and
// locks"). A browser with the user's device cookie answers only for itself; an address the
// user has signed in from counts per IP only; anyone else counts per IP and towards the
// address's limit for strangers. So a stranger hammering an address slows down strangers,
// never the owner's browsers.
async function limitKeys(options: {
  email: string;
  userId: string | null;
  deviceTokens: string[];
  ip: string;
}): Promise<{ keys: LimitKey[]; recognised: boolean }> {
  const device = options.userId ? recognisedDevice(options.userId, options.deviceTokens) : null;
  if (device)
    return {
      keys: [{ key: deviceRateLimitKey(device), freeAttempts: PASSWORD_FREE_ATTEMPTS_PER_EMAIL }],
      recognised: true,
    };
  const [byEmail, byIp] = passwordLimitKeys(options.email, options.ip);
  const known = await isKnownAddress(options.userId, options.ip);
  return { keys: known ? [byIp] : [byEmail, byIp], recognised: false };
}

// The password step (docs/security-model.md, "Sign-in"). Success never creates a session:
// it creates a login challenge, which the second step (or, without 2FA, the sign-in itself)
// consumes. The second step opens with the user's strongest method; a client that cannot do
// WebAuthn (the API: `codesOnly`) gets the strongest method with a code, and a user with
// nothing but passkeys is told to use a personal access token.
export async function passwordStep(input: {
  email: string;
  password: string;
  request: RequestInfo;
  deviceTokens?: string[];
  codesOnly?: boolean;
}): Promise<PasswordStepResult> {
  const email = normalizeEmail(input.email);
  const user = await db.user.findUnique({ where: { email } });
  const { keys, recognised } = await limitKeys({
    email,
    userId: user?.id ?? null,
    deviceTokens: input.deviceTokens ?? [],
    ip: input.request.ip,
  });
  const wait = await retryAfterMs(keys);
  if (wait > 0) {
    const retryAfterSeconds = Math.ceil(wait / 1000);
    observePasswordRateLimited(retryAfterSeconds);
    return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds, recognised };
  }

  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await Promise.all(keys.map((key) => recordFailure(key)));
    observeSignIn("password_failed", "password", user?.id);
    if (user)
      await audit(db, {
        accountId: user.accountId,
        type: AuditType.signInFailed,
        targetId: user.id,
        request: input.request,
        data: { reason: "password", recognisedBrowser: recognised },
      });
    return { ok: false, error: ErrorCode.invalidCredentials };
  }
  // The right password wipes this address's or browser's slate; an IP's failures may be
  // a stranger's behind the same network, so they stay.
  await Promise.all(keys.filter((key) => !isIpKey(key)).map((key) => clearFailures(key.key)));
  if (user.disabledAt) return { ok: false, error: ErrorCode.accountDisabled };

  let pendingFactor: PendingFactor = user.twoFactorMethod;
  if (pendingFactor === "passkey" && input.codesOnly) {
    pendingFactor = (await readMethods(db, user.id)).find((method) => method !== "passkey") ?? null;
    if (!pendingFactor) return { ok: false, error: ErrorCode.passkeyOnly };
  }
  const { token, challenge } = await createLoginChallenge(db, {
    userId: user.id,
    pendingFactor,
    request: input.request,
    passwordGiven: true,
  });
  return { ok: true, userId: user.id, challengeToken: token, challengeId: challenge.id, pendingFactor };
}

// Where a sign-in comes from: a browser with the device cookies it holds
// (lib/sign-in/known-device.ts), or an API client, which has no cookies and is told apart by its
// address alone.
export type SignInClient = { kind: "browser"; deviceTokens: string[] } | { kind: "api" };

// A browser is new when it holds no device cookie of this user; an API client when none
// of the user's live sessions was made from its address. Checked before the new session
// exists, so it does not count itself.
async function isNewClient(userId: string, client: SignInClient, ip: string) {
  if (client.kind === "browser") return recognisedDevice(userId, client.deviceTokens) === null;
  return !(await isKnownAddress(userId, ip));
}

// Turns a completed challenge into a session: the challenge is burned first, in the same
// transaction, so a challenge yields at most one session.
export async function completeSignIn(input: { challengeToken: string; request: RequestInfo; client: SignInClient }) {
  const started = await db.$transaction(async (tx) => {
    const challenge = await consumeCompletedChallenge(tx, input.challengeToken);
    return challenge && startSession(tx, { ...input, challenge, now: new Date() });
  });
  return started && signedIn(started, input);
}

export type StartedSession = NonNullable<Awaited<ReturnType<typeof startSession>>>;

// The session of a burned challenge, in the transaction that burned it (above, or the
// second step's own when it passes: lib/sign-in/second-step.ts); null for a disabled user.
// A sign-in from a new browser or API client is emailed to the user ("was this you?") by
// signedIn below, except the very first sign-in of someone who has just joined: every
// client is new then, and they know it was them. A browser is also handed its device
// cookie (auth.ts sets it) and, when its second step asked for it, a remembered browser
// bound to that cookie; an API client never is.
export async function startSession(
  tx: Tx,
  input: {
    challenge: CompletedChallenge;
    request: RequestInfo;
    client: SignInClient;
    now: Date;
    // The passed factor's event, when its step makes the session: both are written at once.
    audited?: AuditInput;
  },
) {
  const { challenge, client, request, now } = input;
  const { userId, user } = challenge;
  if (user.disabledAt) return null;
  const newClient = await isNewClient(userId, client, request.ip);
  // Sudo mode is the password given in the last 15 minutes (README, "Sudo mode"): a
  // sign-in with the password starts in it, a passkey sign-in without it does not.
  const { token, session } = await createSession(tx, {
    userId,
    account: user.account,
    request,
    sudoAt: challenge.passwordGivenAt,
    // The server's own record that a browser just gave the password and passed a
    // second factor (a challenge waiting for one is burnt only once it has passed), for
    // the passkey upgrade (lib/passkeys/upgrade.ts).
    passkeyUpgradeUntil:
      client.kind === "browser" && challenge.passwordGivenAt && challenge.pendingFactor
        ? new Date(now.getTime() + PASSKEY_UPGRADE_WINDOW_MS)
        : null,
    now,
  });
  // A completed sign-in also ends any lock and forgets the count (lib/sign-in/lockout.ts).
  await tx.user.update({ where: { id: userId }, data: { lastSignInAt: now, ...UNLOCKED } });
  const device = client.kind === "browser" ? renewDeviceToken(userId, client.deviceTokens, now) : null;
  const remember = device
    ? await rememberThisBrowser(tx, {
        userId,
        wish: challenge.rememberBrowser,
        deviceNonce: device.nonce,
        request,
        now,
      })
    : null;
  const succeeded: AuditInput = {
    accountId: user.accountId,
    type: AuditType.signInSucceeded,
    actorId: userId,
    targetId: userId,
    request,
    data: { client: client.kind, newClient },
  };
  await audit(tx, input.audited ? [input.audited, succeeded] : succeeded);
  return {
    user,
    now,
    notify: newClient && user.lastSignInAt !== null,
    sessionToken: token,
    sessionId: session.id,
    passwordGiven: challenge.passwordGivenAt !== null,
    method: challenge.pendingFactor,
    deviceToken: device?.token ?? null,
    remember,
  };
}

// After the session's transaction has committed: the metric and the "was this you?" email.
export type SignedIn = { userId: string; sessionToken: string; sessionId: string } & Pick<
  StartedSession,
  "deviceToken" | "remember"
>;

export async function signedIn(
  started: StartedSession,
  input: { request: RequestInfo; client: SignInClient },
): Promise<SignedIn> {
  const { user, now, notify, sessionToken, sessionId, passwordGiven, method, deviceToken, remember } = started;
  observeSignIn(passwordGiven ? "succeeded" : "passwordless", method ?? "none", user.id);
  if (notify)
    await sendEmail({
      to: user.email,
      userId: user.id,
      ...emails.newSignIn({
        name: user.name,
        at: now,
        ip: input.request.ip,
        device: describeUserAgent(input.request.userAgent),
        api: input.client.kind === "api",
      }),
    });
  return { userId: user.id, sessionToken, sessionId, deviceToken, remember };
}
