import crypto from "node:crypto";
import { AuditType, audit } from "@/lib/audit/record";
import { RECOVERY_CODE_BYTES, RECOVERY_CODE_COUNT } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { decrypt, encrypt, keyedHash, keyedHashes } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import type { Verifier } from "./verifier";

// Recovery codes (docs/security-model.md, "Recovery codes"): 64 random bits each, shown as
// 3f9a-0c41-b7e2-58d6. A database dump reveals none of them: the code is stored encrypted
// (to show it again behind the password) and as a keyed hash (to find it at sign-in).

const PURPOSE = "recovery";
const HEX_LENGTH = RECOVERY_CODE_BYTES * 2;
// Generous for dashes and spaces, small enough that hostile input costs nothing.
const MAX_INPUT_LENGTH = 64;

function formatRecoveryCode(normalized: string) {
  return normalized.match(/.{4}/g)!.join("-");
}

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    formatRecoveryCode(crypto.randomBytes(RECOVERY_CODE_BYTES).toString("hex")),
  );
}

// With or without dashes and spaces, in any case; null for anything else.
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > MAX_INPUT_LENGTH) return null;
  const compact = input.replace(/[\s-]/g, "").toLowerCase();
  return compact.length === HEX_LENGTH && /^[0-9a-f]+$/.test(compact) ? compact : null;
}

// The new set replaces the old one in the caller's transaction, so old codes stop working
// the moment the new ones exist.
export async function replaceRecoveryCodes(tx: Tx, options: { userId: string }): Promise<string[]> {
  const { userId } = options;
  const codes = generateRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code, position) => {
      const normalized = code.replaceAll("-", "");
      return {
        userId,
        position,
        lookupHash: keyedHash(normalized, PURPOSE),
        encryptedCode: encrypt(normalized, `recovery:${userId}`),
      };
    }),
  });
  return codes;
}

export type ConsumeResult = { ok: true; remaining: number } | { ok: false; error: typeof ErrorCode.invalidCode };

// Single use under concurrency: the conditional update on usedAt decides, so of N
// simultaneous uses of one code exactly one succeeds. Takes the caller's transaction so
// that using the code, its audit event and the sign-in step commit together.
export async function consumeRecoveryCode(
  tx: Tx,
  options: { userId: string; code: string; now?: Date },
): Promise<ConsumeResult> {
  const normalized = normalizeRecoveryCode(options.code);
  if (!normalized) return { ok: false, error: ErrorCode.invalidCode };
  const candidates = await tx.recoveryCode.findMany({
    where: { userId: options.userId, usedAt: null, lookupHash: { in: keyedHashes(normalized, PURPOSE) } },
    select: { id: true },
  });
  for (const { id } of candidates) {
    const { count } = await tx.recoveryCode.updateMany({
      where: { id, usedAt: null },
      data: { usedAt: options.now ?? new Date() },
    });
    if (count === 1)
      return { ok: true, remaining: await tx.recoveryCode.count({ where: { userId: options.userId, usedAt: null } }) };
  }
  return { ok: false, error: ErrorCode.invalidCode };
}

// The second step by a recovery code (lib/factors/verifiers.ts): used up in the sign-in's
// transaction, and the sign-in tells how many are left.
export const recoveryCodeVerifier: Verifier = {
  delivered: false,
  source: () => "recovery",
  async check({ answer }) {
    const code = normalizeRecoveryCode(answer.code);
    return code ? { ok: true, code } : { ok: false, error: ErrorCode.invalidFormat };
  },
  redeem: (tx, { userId, code, now }) => consumeRecoveryCode(tx, { userId, code, now }),
};

export async function listRecoveryCodes(options: { userId: string }): Promise<{ code: string; used: boolean }[]> {
  const rows = await db.recoveryCode.findMany({ where: { userId: options.userId }, orderBy: { position: "asc" } });
  return rows.map((row) => ({
    code: formatRecoveryCode(decrypt(row.encryptedCode, `recovery:${options.userId}`)),
    used: row.usedAt !== null,
  }));
}

export async function regenerateRecoveryCodes(options: { userId: string; request: RequestInfo }): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: options.userId }, select: { accountId: true } });
    const codes = await replaceRecoveryCodes(tx, { userId: options.userId });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.recoveryCodesRegenerated,
      actorId: options.userId,
      targetId: options.userId,
      request: options.request,
    });
    return codes;
  });
}

export function countRemainingRecoveryCodes(userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

// How many codes are left of how many the user was given: "none left" is only true of
// someone who had some (a method an admin chose comes without codes).
export async function recoveryCodeCounts(userId: string): Promise<{ left: number; issued: number }> {
  // One read of the set (at most RECOVERY_CODE_COUNT rows) answers both.
  const codes = await db.recoveryCode.findMany({ where: { userId }, select: { usedAt: true } });
  return { left: codes.filter((code) => code.usedAt === null).length, issued: codes.length };
}
