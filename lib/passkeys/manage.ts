import { ErrorCode } from "@/lib/errors";
import { db } from "@/lib/platform/db";
import { normalizeName } from "./relying-party";

// A user's own passkeys as My Profile lists and renames them.

function transportsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export async function listPasskeys(userId: string): Promise<
  Array<{
    id: string;
    name: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    transports: string[];
    deviceType: string;
    backedUp: boolean;
    signCount: number;
  }>
> {
  const rows = await db.webAuthnCredential.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      createdAt: true,
      lastUsedAt: true,
      transports: true,
      deviceType: true,
      backedUp: true,
      signCount: true,
    },
  });
  return rows.map((row) => ({ ...row, transports: transportsOf(row.transports) }));
}

export async function renamePasskey(options: {
  userId: string;
  passkeyId: string;
  name: string;
}): Promise<{ ok: true } | { ok: false; error: typeof ErrorCode.notFound | typeof ErrorCode.invalidName }> {
  const name = normalizeName(options.name);
  if (!name) return { ok: false, error: ErrorCode.invalidName };
  const { count } = await db.webAuthnCredential.updateMany({
    where: { id: options.passkeyId, userId: options.userId },
    data: { name },
  });
  return count === 1 ? { ok: true } : { ok: false, error: ErrorCode.notFound };
}
