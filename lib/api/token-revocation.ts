import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import type { Tx } from "@/lib/platform/db";

// Personal access tokens after account recovery (docs/security-model.md, "When secrets
// end"; README "Which secrets die when"). Whoever held the account may have made a token
// that outlives every session, so the recovering actions revoke them all. The owner cannot
// tell an intruder's token from their own, so they get a list of what was revoked, to
// remake the ones they need.

export type RevokedTokens = {
  user: { id: string; email: string; name: string };
  tokens: { name: string; createdAt: Date }[];
};

// Revokes every live token of one user, or of everyone in an account, inside the
// caller's transaction (so it commits with the change and its audit event). Grouped by
// user, for the emails. Expired tokens already authenticate nobody and are left alone.
export async function revokeLiveAccessTokens(
  tx: Tx,
  options: ({ userId: string } | { accountId: string }) & { now?: Date },
): Promise<RevokedTokens[]> {
  const now = options.now ?? new Date();
  const owner = "userId" in options ? { userId: options.userId } : { user: { accountId: options.accountId } };
  // One conditional update revokes whatever is live when it runs, even a token made a
  // moment ago; the list is read back from the rows it stamped.
  const { count } = await tx.accessToken.updateMany({
    where: { ...owner, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    data: { revokedAt: now },
  });
  if (count === 0) return [];
  const rows = await tx.accessToken.findMany({
    where: { ...owner, revokedAt: now },
    orderBy: [{ userId: "asc" }, { createdAt: "asc" }],
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  const byUser = new Map<string, RevokedTokens>();
  for (const row of rows) {
    const group = byUser.get(row.userId) ?? { user: row.user, tokens: [] };
    group.tokens.push({ name: row.name, createdAt: row.createdAt });
    byUser.set(row.userId, group);
  }
  return [...byUser.values()];
}

export function countTokens(revoked: RevokedTokens[]) {
  return revoked.reduce((sum, group) => sum + group.tokens.length, 0);
}

// `what` happened is the start of a sentence: "Your password was reset".
// A few at a time: clearing an account's sessions may mail every user in it.
export async function emailRevokedTokens(revoked: RevokedTokens[], what: string) {
  for (let i = 0; i < revoked.length; i += 10) {
    await Promise.all(
      revoked.slice(i, i + 10).map(({ user, tokens }) =>
        sendEmail({
          to: user.email,
          userId: user.id,
          ...emails.accessTokensRevoked({ name: user.name, what, tokens }),
        }),
      ),
    );
  }
}
