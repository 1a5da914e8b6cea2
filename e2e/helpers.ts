import crypto from "node:crypto";
import { type Browser, expect, type Page } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { hashPassword } from "../lib/sign-in/password";
import { totp } from "./totp";

export const PASSWORD = "violet tractor sings on tuesdays";
export const OWNER = {
  email: "owner@acme.test",
  password: "maple harbour lantern quietly",
  name: "Olivia Owner",
  account: "Acme Corp",
};

export function uniqueEmail(prefix: string) {
  return `${prefix}-${crypto.randomBytes(5).toString("hex")}@acme.test`;
}

// Test people are created straight in the database; the journeys then use the UI.
export async function seedUser(options: { role?: "ADMIN" | "MEMBER"; accountId?: string; name?: string } = {}) {
  const accountId = options.accountId ?? (await db.account.findFirstOrThrow({ orderBy: { createdAt: "asc" } })).id;
  const role = options.role ?? "MEMBER";
  return db.user.create({
    data: {
      accountId,
      email: uniqueEmail(role.toLowerCase()),
      name: options.name ?? `${role === "ADMIN" ? "Ada Admin" : "Max Member"}`,
      role,
      passwordHash: await hashPassword(PASSWORD),
    },
  });
}

// A UK mobile number of our own, accepted by the fake SMS provider (e2e/server.mjs fails
// numbers ending 0000, so this one ends in 1).
const newPhone = () => `+44770${crypto.randomInt(100_000, 1_000_000)}1`;

// A user whose second step is codes by SMS, with a verified number.
export async function seedSmsUser() {
  const user = await seedUser();
  const phone = newPhone();
  await db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone, phoneVerifiedAt: new Date() },
  });
  return { user, phone };
}

// A separate organisation, so that a test changing account-wide settings (enforcement,
// clearing sessions) does not touch other tests' people.
export async function seedAccount(name = "Globex") {
  return db.account.create({ data: { name: `${name} ${crypto.randomBytes(3).toString("hex")}` } });
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signInAndExpectProfile(page: Page, email: string, password = PASSWORD) {
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
}

export async function signOut(page: Page) {
  // A click that lands before the page has hydrated opens nothing: open the menu until it shows.
  await expect(async () => {
    if (!(await page.getByRole("button", { name: "Sign out" }).isVisible())) {
      await page.getByRole("button", { name: "User menu" }).click();
    }
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/.artifacts/screens/${name}.png`, fullPage: true });
}

// A user who has already set up an authenticator app, through the same domain functions
// the setup page uses; returns the secret the "phone" holds and the recovery codes.
export async function seedUserWithTotp(options: { role?: "ADMIN" | "MEMBER"; accountId?: string; name?: string } = {}) {
  const { createTotpSetup, confirmTotpSetup } = await import("../lib/factors/totp");
  const user = await seedUser(options);
  const { secret } = await createTotpSetup({ userId: user.id });
  // Confirm with the previous step's code so the test's own current code is still unused.
  const result = await confirmTotpSetup({
    userId: user.id,
    code: totp(secret, Date.now(), -1),
    request: { ip: "127.0.0.1", userAgent: "seed" },
  });
  if (!result.ok) throw new Error(`could not seed TOTP: ${result.error}`);
  // A first method always comes with recovery codes.
  if (!result.recoveryCodes) throw new Error("a first authenticator came without recovery codes");
  return { user, secret, recoveryCodes: result.recoveryCodes };
}

// The 6-digit code in the newest message delivered to a phone number or address.
export async function lastSentCode(to: string) {
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { to, status: "sent" },
    orderBy: { createdAt: "desc" },
  });
  return readMessageBody(message)!.match(/\b(\d{6})\b/)![1];
}

// An admin of the account, signed in with an authenticator app in a browser of their own.
export async function adminOf(browser: Browser, accountId: string) {
  const { user, secret } = await seedUserWithTotp({ role: "ADMIN", accountId, name: "Ada Admin" });
  const page = await browser.newPage();
  await signIn(page, user.email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  return { admin: user, page };
}
