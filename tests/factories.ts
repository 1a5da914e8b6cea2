import crypto from "node:crypto";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/password";

export const TEST_PASSWORD = "correct horse battery staple";
export const request = { ip: "203.0.113.7", userAgent: "vitest" };

let cachedHash: Promise<string> | undefined;

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}@example.test`;
}

// An account with one user of the given role, its password TEST_PASSWORD.
export async function createUser(options: { role?: "OWNER" | "ADMIN" | "MEMBER"; accountId?: string; email?: string } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const accountId = options.accountId ?? (await db.account.create({ data: { name: "Test Org" } })).id;
  return db.user.create({
    data: { accountId, email: options.email ?? uniqueEmail(), name: "Test User", role: options.role ?? "OWNER", passwordHash: await cachedHash },
    include: { account: true },
  });
}
