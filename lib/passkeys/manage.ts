import { ErrorCode } from "@/lib/errors";
import { db } from "@/lib/platform/db";
import { providerName } from "./providers";
import { normalizeName } from "./relying-party";

// A user's passkeys as My Profile (and the admin's user page) lists them, and renaming one.

function transportsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export async function listPasskeys(userId: string): Promise<
  Array<{
    id: string;
    // The browser's id for it, public (My Profile's signals to the password manager).
    credentialId: string;
    name: string;
    // Who holds it ("Apple Passwords", "YubiKey 5 Series"), shown beside the user's own name.
    provider: string;
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
      credentialId: true,
      name: true,
      createdAt: true,
      lastUsedAt: true,
      transports: true,
      deviceType: true,
      backedUp: true,
      signCount: true,
      aaguid: true,
    },
  });
  return rows.map(({ aaguid, ...row }) => ({
    ...row,
    provider: providerName(aaguid),
    transports: transportsOf(row.transports),
  }));
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
