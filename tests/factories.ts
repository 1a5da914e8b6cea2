import crypto from "node:crypto";
import { confirmTotpSetup, createTotpSetup } from "@/lib/factors/totp";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { hashPassword } from "@/lib/sign-in/password";
import { totp } from "../e2e/totp";

export const TEST_PASSWORD = "correct horse battery staple";
export const request = { ip: "203.0.113.7", userAgent: "vitest" };
// A browser that holds no device cookie, for completeSignIn.
export const newBrowser = { kind: "browser" as const, deviceTokens: [] as string[] };

let cachedHash: Promise<string> | undefined;

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}@example.test`;
}

// An account with one user of the given role, its password TEST_PASSWORD.
export async function createUser(
  options: { role?: "OWNER" | "ADMIN" | "MEMBER"; accountId?: string; email?: string } = {},
) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const accountId = options.accountId ?? (await db.account.create({ data: { name: "Test Org" } })).id;
  return db.user.create({
    data: {
      accountId,
      email: options.email ?? uniqueEmail(),
      name: "Test User",
      role: options.role ?? "OWNER",
      passwordHash: await cachedHash,
    },
    include: { account: true },
  });
}

// A user who set up an authenticator app at `at`, through the setup flow itself. Returns
// the secret the "phone" holds and the recovery codes shown at the end of setup.
export async function createUserWithTotp(options: { at: Date; accountId?: string }) {
  const user = await createUser({ accountId: options.accountId });
  const { secret } = await createTotpSetup({ userId: user.id, now: options.at });
  const result = await confirmTotpSetup({
    userId: user.id,
    code: totp(secret, options.at.getTime()),
    request,
    now: options.at,
  });
  if (!result.ok) throw new Error(`could not set up TOTP: ${result.error}`);
  // A first method always comes with recovery codes.
  if (!result.recoveryCodes) throw new Error("a first authenticator came without recovery codes");
  return { user, secret, recoveryCodes: result.recoveryCodes };
}

// The six-digit code in the last message sent to this phone number or address.
export async function lastCode(to: string) {
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { to, status: "sent" },
    orderBy: { createdAt: "desc" },
  });
  return readMessageBody(message)!.match(/\b(\d{6})\b/)![1];
}
