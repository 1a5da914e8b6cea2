import { type PolicyAccount, passkeyRequired } from "@/lib/account/policy";
import { AuditType, audit } from "@/lib/audit/record";
import { DAY_MS } from "@/lib/config";
import type { Account, Prisma, User } from "@/lib/generated/sqlite/client";
import { hashToken, keyedHash, randomToken, timingSafeEqualHex } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { recognisedDevice } from "./known-device";
import { secondFactorLockState } from "./lockout";
import { markFactorVerified } from "./login-challenge";

// "Remember this browser" (README "Remember this browser"): after the second step a person
// may tick "Don't ask for a second step on this browser for N days". The password is still
// asked every time; only the second step is skipped. A remembered browser is a row, not a
// cookie's say-so: its cookie holds a random token (stored hashed), and the row is bound to
// the user and to the nonce of the browser's device cookie (lib/sign-in/known-device.ts),
// so a remember cookie copied to another browser, another user's, or an expired one is
// ignored and the second step is asked. The API never uses it. Every event that ends
// remembered browsers calls forgetRememberedBrowsers in its own transaction.

type RememberAccount = PolicyAccount & Pick<Account, "rememberBrowserAllowed" | "rememberBrowserDays">;
type RememberUser = Pick<User, "role"> & { account: RememberAccount };

const MAX_TOKEN_LENGTH = 128;

// One cookie per account the browser signs in to, like the device cookie.
export function rememberCookieName(userId: string) {
  return `remember_${keyedHash(userId, "remember-cookie-name").slice(0, 16)}`;
}

// The days the second step may offer, or null: not while the account does not allow it,
// and, for someone the account asks a passkey of, only when the second step was a
// passkey (a remembered code would be a way round the phishing-resistant requirement).
function rememberOffer(user: RememberUser, viaPasskey: boolean): number | null {
  const { account } = user;
  if (!account.rememberBrowserAllowed) return null;
  if (!viaPasskey && passkeyRequired({ user, account })) return null;
  return account.rememberBrowserDays;
}

// For the second-step page: the days offered after a code and after a passkey, for the
// challenge's user as it was read with the challenge.
export function readRememberOffer(user: RememberUser) {
  return { code: rememberOffer(user, false), passkey: rememberOffer(user, true) };
}

// The box ticked at the second step, as the challenge keeps it: "passkey" when that step
// was a passkey, "code" for any other. A box the page did not offer is no wish, whatever
// the form sent.
export function rememberWish(user: RememberUser, viaPasskey: boolean) {
  if (rememberOffer(user, viaPasskey) === null) return null;
  return viaPasskey ? "passkey" : "code";
}

// The wish noted on its challenge in the transaction that passes the factor
// (lib/sign-in/second-step.ts), for the completeSignIn that follows to act on.
export async function noteRememberWish(tx: Tx, options: { challengeId: string; wish: string }) {
  await tx.loginChallenge.update({ where: { id: options.challengeId }, data: { rememberBrowser: options.wish } });
}

// A browser's sign-in that asked to be remembered, in completeSignIn's transaction: the
// row bound to the device cookie that sign-in leaves. One row per browser and user, the
// newest. Returns the cookie's token and lifetime, or null when the account stopped
// offering it meanwhile.
export async function rememberThisBrowser(
  tx: Tx,
  options: { userId: string; wish: string | null; deviceNonce: string; request: RequestInfo; now: Date },
) {
  const { userId, request, now } = options;
  if (!options.wish) return null;
  const viaPasskey = options.wish === "passkey";
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
  const days = rememberOffer(user, viaPasskey);
  if (days === null) return null;
  const deviceHash = hashToken(options.deviceNonce);
  await tx.rememberedBrowser.deleteMany({ where: { userId, deviceHash } });
  const token = randomToken(32);
  const maxAgeMs = days * DAY_MS;
  await tx.rememberedBrowser.create({
    data: {
      userId,
      tokenHash: hashToken(token),
      deviceHash,
      viaPasskey,
      createdAt: now,
      expiresAt: new Date(now.getTime() + maxAgeMs),
      ip: request.ip,
      userAgent: request.userAgent,
    },
  });
  await audit(tx, {
    accountId: user.accountId,
    type: AuditType.rememberedBrowserAdded,
    actorId: userId,
    targetId: userId,
    request,
    data: { days },
  });
  return { token, maxAgeMs };
}

// When a row stops counting: its own expiry, or its age against the account's current
// days, so that shortening N cuts the rows already made (README "Remember this browser").
function endOf(row: { createdAt: Date; expiresAt: Date }, account: Pick<Account, "rememberBrowserDays">) {
  const byAccount = row.createdAt.getTime() + account.rememberBrowserDays * DAY_MS;
  return new Date(Math.min(row.expiresAt.getTime(), byAccount));
}

// After the password, on the web: whether this browser passes the challenge's second
// step. It does when its remember cookie names a row of the challenge's user, bound to
// the device cookie the browser also holds, within its days, still allowed by the account
// (and made with a passkey when the account asks one of the user), and the user is
// neither locked nor disabled. Then the challenge is marked passed, as a right code would
// (one conditional update), and the use is audited; anything else leaves the second step
// to be asked.
export async function passWithRememberedBrowser(options: {
  challengeId: string;
  rememberToken: string;
  deviceTokens: string[];
  request: RequestInfo;
  now?: Date;
}): Promise<boolean> {
  const now = options.now ?? new Date();
  const { rememberToken, request } = options;
  if (!rememberToken || rememberToken.length > MAX_TOKEN_LENGTH) return false;
  const [row, challenge] = await Promise.all([
    db.rememberedBrowser.findUnique({
      where: { tokenHash: hashToken(rememberToken) },
      include: { user: { include: { account: true } } },
    }),
    db.loginChallenge.findUnique({ where: { id: options.challengeId } }),
  ]);
  if (!row || !challenge?.passwordGivenAt || !challenge.pendingFactor || row.userId !== challenge.userId) return false;
  const { user } = row;
  if (endOf(row, user.account) <= now || rememberOffer(user, row.viaPasskey) === null) return false;
  const nonce = recognisedDevice(user.id, options.deviceTokens, now);
  if (!nonce || !timingSafeEqualHex(hashToken(nonce), row.deviceHash)) return false;
  if (user.disabledAt || secondFactorLockState(user, now).locked) return false;

  return db.$transaction(async (tx) => {
    if (!(await markFactorVerified(tx, challenge.id, now))) return false;
    // Not forgotten meanwhile (Forget, a password change, ...): then the challenge waits again.
    const { count } = await tx.rememberedBrowser.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
    if (count !== 1) {
      await tx.loginChallenge.update({ where: { id: challenge.id }, data: { factorVerifiedAt: null } });
      return false;
    }
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.rememberedBrowserUsed,
      actorId: user.id,
      targetId: user.id,
      request,
    });
    return true;
  });
}

// Ends the remembered browsers `where` selects, in the caller's transaction: a password
// change or reset, an admin's Reset 2FA, the last method removed, "Sign out of all other
// sessions", disabling the user, and the account's setting turned off or shortened.
export async function forgetRememberedBrowsers(tx: Tx, where: Prisma.RememberedBrowserWhereInput) {
  return (await tx.rememberedBrowser.deleteMany({ where })).count;
}

// What the account's new setting leaves of its remembered browsers: none when it is off,
// and none older than the new days (younger ones stop at their new end, endOf).
export function forgetForSetting(tx: Tx, options: { accountId: string; allowed: boolean; days: number; now: Date }) {
  const inAccount = { user: { accountId: options.accountId } };
  if (!options.allowed) return forgetRememberedBrowsers(tx, inAccount);
  const oldest = new Date(options.now.getTime() - options.days * DAY_MS);
  return forgetRememberedBrowsers(tx, { ...inAccount, createdAt: { lte: oldest } });
}

// My Profile: the user's remembered browsers, newest first, each with where and when it
// was remembered, its last use, when it ends, and whether it is this browser. `account`:
// the user's, when the caller has read it (My Profile has, with the session).
export async function listRememberedBrowsers(options: {
  userId: string;
  account?: Pick<Account, "rememberBrowserDays">;
  currentToken?: string;
  now?: Date;
}) {
  const now = options.now ?? new Date();
  const account =
    options.account ??
    (await db.user.findUniqueOrThrow({ where: { id: options.userId }, select: { account: true } })).account;
  const rows = await db.rememberedBrowser.findMany({
    where: { userId: options.userId, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
  });
  const current = options.currentToken ? hashToken(options.currentToken) : null;
  return rows
    .map((row) => ({
      id: row.id,
      ip: row.ip,
      userAgent: row.userAgent,
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      endsAt: endOf(row, account),
      current: row.tokenHash === current,
    }))
    .filter((row) => row.endsAt > now);
}

// My Profile → Forget (one, by id, only among the user's own) or Forget all, audited
// with how many went. Returns that number.
export async function forgetOwnRememberedBrowsers(options: {
  userId: string;
  accountId: string;
  id?: string;
  request: RequestInfo;
}) {
  const { userId } = options;
  return db.$transaction(async (tx) => {
    const forgotten = await forgetRememberedBrowsers(tx, { userId, ...(options.id ? { id: options.id } : {}) });
    if (forgotten > 0)
      await audit(tx, {
        accountId: options.accountId,
        type: AuditType.rememberedBrowserForgotten,
        actorId: userId,
        targetId: userId,
        request: options.request,
        data: { forgotten },
      });
    return forgotten;
  });
}
