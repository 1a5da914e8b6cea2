import { LOGIN_CHALLENGE_TTL_MS } from "@/lib/config";
import type { MethodFacts, TwoFactorMethod } from "@/lib/factors/kinds";
import type { Account, LoginChallenge, User } from "@/lib/generated/sqlite/client";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import {
  accountColumns,
  challengeColumns,
  methodFactColumns,
  methodFactsOf,
  part,
  userColumns,
} from "@/lib/platform/joined-rows";
import type { RequestInfo } from "@/lib/platform/request-info";

export type PendingFactor = TwoFactorMethod | null;

// The state between a correct password and a session (docs/security-model.md, "Sign-in").
// The token lives in an HttpOnly cookie (or, for the API, in the client's hands); only its
// hash is stored. `passwordGiven` says the password was just checked, which starts the
// session in sudo mode; left out, the session starts without it (a passkey sign-in without
// the password).
export async function createLoginChallenge(
  tx: Tx,
  options: { userId: string; pendingFactor: PendingFactor; request: RequestInfo; passwordGiven?: boolean; now?: Date },
) {
  const now = options.now ?? new Date();
  const token = randomToken(32);
  const challenge = await tx.loginChallenge.create({
    data: {
      tokenHash: hashToken(token),
      userId: options.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS),
      passwordGivenAt: options.passwordGiven ? now : null,
      pendingFactor: options.pendingFactor,
      ip: options.request.ip,
      userAgent: options.request.userAgent,
    },
  });
  return { token, challenge };
}

export type FoundLoginChallenge = LoginChallenge & {
  user: User & MethodFacts & { account: Account; totpCredential: { id: string; encryptedSecret: string } | null };
};
// What a session is made from (lib/sign-in/password-step.ts, startSession).
export type CompletedChallenge = Pick<
  FoundLoginChallenge,
  "userId" | "user" | "passwordGivenAt" | "pendingFactor" | "rememberBrowser"
>;

// A challenge with its user, the user's account and which methods they have, by its
// token's hash, in one statement (lib/platform/joined-rows.ts): each step of a sign-in
// reads it. The app's secret comes with it, still encrypted, for the app code's check
// (lib/factors/totp.ts).
async function readChallenge(client: Tx, tokenHash: string): Promise<FoundLoginChallenge | null> {
  const [row] = await client.$queryRaw<Record<string, unknown>[]>`
    SELECT ${challengeColumns}, ${userColumns}, ${accountColumns}, ${methodFactColumns},
      (SELECT t."encryptedSecret" FROM "TotpCredential" t WHERE t."userId" = u."id") AS "totpSecret"
    FROM "LoginChallenge" c JOIN "User" u ON u."id" = c."userId" JOIN "Account" a ON a."id" = u."accountId"
    WHERE c."tokenHash" = ${tokenHash}`;
  if (!row) return null;
  const facts = methodFactsOf(row);
  const totpCredential = facts.totpCredential && {
    ...facts.totpCredential,
    encryptedSecret: row.totpSecret as string,
  };
  return {
    ...part<LoginChallenge>(row, "c"),
    user: { ...part<User>(row, "u"), account: part<Account>(row, "a"), ...facts, totpCredential },
  };
}

// A live challenge: not expired, not consumed. The account: its name is the issuer the
// authenticator app's entry carries (lib/factors/totp.ts), its settings say whether the
// browser may be remembered.
export async function findLoginChallenge(token: string, now = new Date()) {
  if (!token || token.length > 128) return null;
  const challenge = await readChallenge(db, hashToken(token));
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) return null;
  return challenge;
}

// A challenge in whatever state, to tell its browser how the sign-in ended.
export async function findAnyLoginChallenge(token: string) {
  if (!token || token.length > 128) return null;
  return db.loginChallenge.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
}

// Claims the challenge for a factor being checked; with `consume`, burns it as well, for a
// second step that makes the session in the same transaction (lib/sign-in/second-step.ts).
export async function markFactorVerified(tx: Tx, challengeId: string, now = new Date(), options = { consume: false }) {
  const { count } = await tx.loginChallenge.updateMany({
    where: { id: challengeId, consumedAt: null, factorVerifiedAt: null, expiresAt: { gt: now } },
    data: { factorVerifiedAt: now, ...(options.consume && { consumedAt: now }) },
  });
  return count === 1;
}

// Burns a completed challenge and returns it with its user and account (when the password
// was given, null when it was not, the factor it waited for, whether to remember the
// browser). One
// conditional update decides, so of two simultaneous uses exactly one gets a session.
export async function consumeCompletedChallenge(tx: Tx, token: string, now = new Date()) {
  const tokenHash = hashToken(token);
  const { count } = await tx.loginChallenge.updateMany({
    where: {
      tokenHash,
      consumedAt: null,
      expiresAt: { gt: now },
      OR: [{ pendingFactor: null }, { factorVerifiedAt: { not: null } }],
    },
    data: { consumedAt: now },
  });
  if (count !== 1) return null;
  return readChallenge(tx, tokenHash);
}

export async function discardPendingChallenges(tx: Tx, userId: string, now = new Date()) {
  await tx.loginChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: now } });
}

export async function discardChallenge(challengeId: string, now = new Date()) {
  await db.loginChallenge.updateMany({ where: { id: challengeId, consumedAt: null }, data: { consumedAt: now } });
}
