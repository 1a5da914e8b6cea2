import crypto from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db, isPostgres } from "../lib/platform/db";
import { lastSentCode, screenshot, seedAccount, seedUser, signIn, signInAndExpectProfile, signOut } from "./helpers";

// Attack: someone with a copy of the database (a stolen backup, a read replica, an SQL
// injection anywhere) but not ENCRYPTION_KEYS looks for anything still live: sign-in and
// setup codes, invitation and password-reset links, recovery codes, session tokens
// (docs/security-model.md, "What is stored how"). Real journeys run in the browser; every
// secret the browser saw is collected; then every table is dumped as text and none of them
// may occur in it.

const IVY_PASSWORD = "ivy picks a long passphrase";
const NEW_PASSWORD = "ivy's second lighthouse keeper";

// Short numeric codes must stand alone to count as found: inside a longer number (a
// timestamp) or a hex hash the same six digits are chance, not a leak.
function occursIn(dump: string, secret: string) {
  if (/^\d+$/.test(secret)) return new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`).test(dump);
  return dump.includes(secret);
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  if (typeof value === "object") return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

// Every table of the database, every row, every column, as one text.
async function dumpDatabase() {
  const tables = isPostgres()
    ? await db.$queryRawUnsafe<{ name: string }[]>(
        `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      )
    : await db.$queryRawUnsafe<{ name: string }[]>(
        `SELECT '"' || replace(name, '"', '""') || '"' AS name FROM sqlite_master WHERE type = 'table'`,
      );
  expect(tables.map((t) => t.name).join(" ")).toContain("OutboundMessage");
  const lines: string[] = [];
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM ${name}`);
    for (const row of rows) lines.push(`${name}\t${Object.values(row).map(asText).join("\t")}`);
  }
  return lines.join("\n");
}

async function confirmPassword(page: Page, password: string) {
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
}

async function cookie(page: Page, name: RegExp) {
  const found = (await page.context().cookies()).find((c) => name.test(c.name));
  expect(found, `cookie ${name}`).toBeDefined();
  return found!.value;
}

test("a dump of every table holds none of the codes, links and tokens the browser saw", async ({ browser, page }) => {
  const seen: string[] = [];
  const account = await seedAccount("Dumpster");
  const admin = await seedUser({ role: "ADMIN", accountId: account.id });
  const adminPage = await browser.newPage();
  await signInAndExpectProfile(adminPage, admin.email);
  seen.push(await cookie(adminPage, /session-token$/));

  // An invitation, accepted through its link.
  const email = `ivy-${crypto.randomBytes(4).toString("hex")}@dumpster.test`;
  await adminPage.goto("/account/users");
  await adminPage.getByLabel("Name").fill("Ivy Invitee");
  await adminPage.getByLabel("Email").fill(email);
  await adminPage.getByRole("button", { name: "Send invitation" }).click();
  await expect(adminPage.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const invitation = await db.outboundMessage.findFirstOrThrow({ where: { to: email } });
  const invitationLink = readMessageBody(invitation)!.match(/https?:\/\/\S+\/invite\/(\S+)/)!;
  seen.push(invitationLink[1]);
  await page.goto(invitationLink[0]);
  await page.getByLabel("Password", { exact: true }).fill(IVY_PASSWORD);
  await page.getByLabel("Confirm password").fill(IVY_PASSWORD);
  await page.getByRole("button", { name: "Set password and continue" }).click();
  await expect(page.getByText("Your password is set. Sign in to continue.")).toBeVisible();
  await signInAndExpectProfile(page, email, IVY_PASSWORD);

  // Codes by SMS: a setup code, then the recovery codes shown once.
  const phone = `+447700${crypto.randomInt(100_000, 999_999)}`.replace(/0000$/, "0001");
  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await confirmPassword(page, IVY_PASSWORD);
  await page.getByRole("link", { name: "Get codes by text message instead" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  await page.getByLabel("Mobile phone number").fill(phone);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Enter the code we sent" })).toBeVisible();
  const smsSetupCode = await lastSentCode(phone);
  seen.push(smsSetupCode);
  await page.getByLabel("Verification code").fill(smsSetupCode);
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(10);
  for (const code of await dialog.getByRole("listitem").allTextContents())
    seen.push(code.trim(), code.trim().replaceAll("-", ""));
  const download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  await download;
  await dialog.getByRole("button", { name: "Done" }).click();

  // A sign-in code by SMS, typed at the second step.
  await signOut(page);
  await signIn(page, email, IVY_PASSWORD);
  await expect(page.getByText(/We sent a 6-digit code by SMS to \+\d+ [• ]+\d{3}\./)).toBeVisible();
  seen.push(await cookie(page, /^login_challenge$/));
  const smsSignInCode = await lastSentCode(phone);
  seen.push(smsSignInCode);
  await page.getByLabel("Sign-in code").fill(smsSignInCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();

  // Switching to codes by email: an email setup code.
  await page.getByRole("link", { name: "Add email codes" }).click();
  await confirmPassword(page, IVY_PASSWORD);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your email address" })).toBeVisible();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(`We sent a 6-digit code by email to ${email}.`)).toBeVisible();
  const emailSetupCode = await lastSentCode(email);
  seen.push(emailSetupCode);
  await page.getByLabel("Verification code").fill(emailSetupCode);
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText("Your new sign-in method was added.", { exact: false })).toBeVisible();

  // Forgot password: the reset link.
  await signOut(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an Email field too: wait for the new page before typing.
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByText(`If ${email} has a StrongSign account, we've emailed it a link`)).toBeVisible();
  const resetSubject = "Reset your StrongSign password";
  await expect.poll(() => db.outboundMessage.count({ where: { to: email, subject: resetSubject } })).toBe(1);
  const reset = await db.outboundMessage.findFirstOrThrow({ where: { to: email, subject: resetSubject } });
  const resetLink = readMessageBody(reset)!.match(/https?:\/\/\S+\/reset-password\/(\S+)/)!;
  seen.push(resetLink[1]);

  // The development outbox still shows the link, opened for display.
  await page.goto("/dev/outbox");
  const shown = page.getByRole("listitem").filter({ hasText: email }).filter({ hasText: resetSubject });
  await expect(shown.getByText(resetLink[0])).toBeVisible();
  await screenshot(page, "dev-outbox");

  await page.goto(resetLink[0]);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed and every session signed out.")).toBeVisible();

  // A sign-in code by email, typed at the second step: texts are the stronger method, so
  // sign-in opens with them, and email is another way.
  await signIn(page, email, NEW_PASSWORD);
  await page
    .getByRole("region", { name: "Try another way" })
    .getByRole("button", { name: "Get codes by email instead" })
    .click();
  await expect(page.getByText(/We emailed a 6-digit code to/)).toBeVisible();
  const emailSignInCode = await lastSentCode(email);
  seen.push(emailSignInCode);
  await page.getByLabel("Sign-in code").fill(emailSignInCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  seen.push(await cookie(page, /session-token$/));

  expect(seen.length).toBe(29);
  const dump = await dumpDatabase();
  // The journeys left their traces: the dump is of the right database.
  expect(dump).toContain(email);
  expect(dump).toContain(phone);
  expect(seen.filter((secret) => occursIn(dump, secret))).toEqual([]);
  // No link of any journey in this run, ours or another spec's, is readable either.
  expect(dump).not.toMatch(/\/(invite|reset-password)\//);
});
