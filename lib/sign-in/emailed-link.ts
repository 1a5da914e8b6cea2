import { type AuditData, type AuditType, audit } from "@/lib/audit/record";
import type { User } from "@/lib/generated/sqlite/client";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";

type LinkRow = { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date };

// A single-use emailed link ("Forgot password?", "Email me a link for this browser", the
// confirmation of a new address): only for an active user with a password, the token
// stored only as a hash, and the request audited with the row. Returns the user and the token
// for the caller's email, or null when no email must go (told to nobody: callers answer
// every address alike).
export async function issueEmailedLink(options: {
  email: string;
  ttlMs: number;
  auditType: AuditType;
  auditData?: AuditData;
  // Asked for by the signed-in user (an email change), not by whoever typed the address.
  bySignedInUser?: boolean;
  request: RequestInfo;
  now?: Date;
  create: (tx: Tx, row: LinkRow) => Promise<unknown>;
}): Promise<{ user: User; token: string } | null> {
  const now = options.now ?? new Date();
  const user = await db.user.findUnique({ where: { email: options.email } });
  if (!user || user.disabledAt || !user.passwordHash) return null;
  const token = randomToken(32);
  await db.$transaction(async (tx) => {
    const row = {
      userId: user.id,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + options.ttlMs),
    };
    await options.create(tx, row);
    await audit(tx, {
      accountId: user.accountId,
      type: options.auditType,
      actorId: options.bySignedInUser ? user.id : null,
      targetId: user.id,
      request: options.request,
      data: options.auditData,
    });
  });
  return { user, token };
}
