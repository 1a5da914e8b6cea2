import { AuditType, audit } from "@/lib/audit/record";
import { DAY_MS, SESSION_TOUCH_INTERVAL_MS } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { methodFacts } from "@/lib/factors/kinds";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { isAdminRole } from "@/lib/people/roles";
import { hashToken, randomToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { validateSessionToken } from "@/lib/sessions/sessions";

// Personal access tokens and bearer authentication for the API (docs/security-model.md,
// "The API"). A token is shown once; only its SHA-256 is stored. The prefix tells tokens
// from session tokens (which API sign-in returns) and makes leaked tokens easy to scan for.

const TOKEN_PREFIX = "ssp_";
export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
const MAX_NAME_LENGTH = 100;
const MAX_TOKEN_LENGTH = 200;

function parseScopes(stored: string): Scope[] {
  const listed = new Set(stored.split(","));
  return SCOPES.filter((scope) => listed.has(scope));
}

export type CreateTokenResult =
  | { ok: true; token: string; id: string }
  | {
      ok: false;
      error:
        | typeof ErrorCode.invalidName
        | typeof ErrorCode.invalidScopes
        | typeof ErrorCode.invalidExpiry
        | typeof ErrorCode.adminScopeForMember;
    };

export async function createAccessToken(options: {
  userId: string;
  name: string;
  scopes: string[];
  expiresInDays: number | null;
  request: RequestInfo;
  now?: Date;
}): Promise<CreateTokenResult> {
  const now = options.now ?? new Date();
  const name = options.name.trim();
  if (!name || name.length > MAX_NAME_LENGTH) return { ok: false, error: ErrorCode.invalidName };
  const scopes = SCOPES.filter((scope) => options.scopes.includes(scope));
  if (scopes.length === 0 || scopes.length !== new Set(options.scopes).size)
    return { ok: false, error: ErrorCode.invalidScopes };
  const { expiresInDays } = options;
  if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 366))
    return { ok: false, error: ErrorCode.invalidExpiry };
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId } });
  if (scopes.includes("admin") && !isAdminRole(user.role)) return { ok: false, error: ErrorCode.adminScopeForMember };

  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.accessToken.create({
      data: {
        userId: user.id,
        name,
        tokenHash: hashToken(token),
        scopes: scopes.join(","),
        createdAt: now,
        expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * DAY_MS),
      },
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.tokenCreated,
      actorId: user.id,
      targetId: user.id,
      request: options.request,
      data: { name, scopes: scopes.join(","), expiresInDays },
    });
    return created;
  });
  await sendEmail({
    to: user.email,
    userId: user.id,
    ...emails.accessTokenCreated({ name: user.name, tokenName: name, scopes, ip: options.request.ip }),
  });
  return { ok: true, token, id: row.id };
}

export async function listAccessTokens(userId: string) {
  const rows = await db.accessToken.findMany({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  }));
}

// Only the owner revokes their token; revoking twice changes nothing.
export async function revokeAccessToken(options: {
  userId: string;
  tokenId: string;
  request: RequestInfo;
  now?: Date;
}) {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const token = await tx.accessToken.findFirst({
      where: { id: options.tokenId, userId: options.userId, revokedAt: null },
      include: { user: true },
    });
    if (!token) return false;
    await tx.accessToken.update({ where: { id: token.id }, data: { revokedAt: now } });
    await audit(tx, {
      accountId: token.user.accountId,
      type: AuditType.tokenRevoked,
      actorId: options.userId,
      targetId: options.userId,
      request: options.request,
      data: { name: token.name },
    });
    return true;
  });
}

// Who a bearer token speaks for, and with which scopes: a personal access token with
// its own scopes, or an API sign-in session with everything its user's role allows.
export async function authenticateBearer(authorization: string | null, now = new Date()) {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  const token = match?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  if (token.startsWith(TOKEN_PREFIX)) {
    const row = await db.accessToken.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: { include: { account: true, ...methodFacts } } },
    });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabledAt) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
      await db.accessToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    return { user: row.user, scopes: parseScopes(row.scopes), via: "token" as const };
  }
  const session = await validateSessionToken(token, now);
  if (!session) return null;
  const scopes: Scope[] = isAdminRole(session.user.role) ? ["read", "write", "admin"] : ["read", "write"];
  return { user: session.user, scopes, via: "session" as const };
}

export type ApiPrincipal = NonNullable<Awaited<ReturnType<typeof authenticateBearer>>>;
