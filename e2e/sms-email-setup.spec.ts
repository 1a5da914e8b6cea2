import { expect, type Page, test } from "@playwright/test";
import { auditData } from "../lib/audit/record";
import { db } from "../lib/platform/db";
import {
  lastSentCode,
  PASSWORD,
  screenshot,
  seedAccount,
  seedUser,
  signIn,
  signInAndExpectProfile,
  signOut,
} from "./helpers";

const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function confirmPassword(page: Page) {
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
}

async function saveRecoveryCodes(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(10);
  const download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  await download;
  await dialog.getByRole("button", { name: "Done" }).click();
}

test("a member sets up SMS codes, signs in with a texted code, switches to email, and turns 2FA off with the password", async ({
  page,
}) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await confirmPassword(page);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  await page.getByRole("link", { name: "Get codes by text message instead" }).click();

  // A number without its country code is refused and nothing is sent.
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "sms-setup-number-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByLabel("Country").selectOption({ label: "+1 United States" });
  await page.getByLabel("Mobile phone number").fill("07700 900456");
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText("That is not a mobile number we can text.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Mobile phone number")).toHaveValue("07700 900456");
  expect(await db.outboundMessage.count({ where: { userId: user.id, channel: "sms" } })).toBe(0);

  await page.getByLabel("Mobile phone number").fill("+44 7700 900456");
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Enter the code we sent" })).toBeVisible();
  await expect(page.getByText("We sent a 6-digit code by text message to +447700900456.")).toBeVisible();
  await screenshot(page, "sms-setup-code");
  const code = await lastSentCode("+447700900456");
  await page.getByLabel("Verification code").fill(otherThan(code));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText("That code is not valid. Enter the 6 digits we sent you.")).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await saveRecoveryCodes(page);
  await expect(page.getByText("Two-factor authentication is on.", { exact: false })).toBeVisible();
  await expect(page.getByText("Codes texted to +44 •••• •••456.", { exact: false })).toBeVisible();
  await expect(page.getByText("+447700900456")).toHaveCount(0);
  await expect(page.getByText("10 left.")).toBeVisible();
  await screenshot(page, "profile-sms-on");

  await signOut(page);
  await signIn(page, user.email);
  await expect(page.getByText("We sent a 6-digit code by SMS to +44 •••• •••456.")).toBeVisible();
  await page.getByLabel("Sign-in code").fill(await lastSentCode("+447700900456"));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();

  // Switching keeps the recovery codes, so no new dialog.
  const codesBefore = await db.recoveryCode.findMany({ where: { userId: user.id }, select: { lookupHash: true } });
  await page.getByRole("link", { name: "Add email codes" }).click();
  await expect(page.getByRole("heading", { name: "Add a way to sign in" })).toBeVisible();
  await confirmPassword(page);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your email address" })).toBeVisible();
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(`We sent a 6-digit code by email to ${user.email}.`)).toBeVisible();
  await page.getByLabel("Verification code").fill(await lastSentCode(user.email));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  // Email codes come next to the texts, which keep working.
  await expect(page.getByText("Your new sign-in method was added.")).toBeVisible();
  await expect(page.getByText("Codes by email", { exact: false })).toBeVisible();
  await expect(page.getByText("Codes texted to", { exact: false })).toBeVisible();
  expect(await db.recoveryCode.findMany({ where: { userId: user.id }, select: { lookupHash: true } })).toEqual(
    codesBefore,
  );

  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await page
    .getByRole("dialog", { name: "Disable two-factor authentication?" })
    .getByRole("link", { name: "Continue" })
    .click();
  // My Profile has a "Current password" field too: wait until the disable page is shown.
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await expect(page.getByText("Two-factor authentication is off.", { exact: false })).toBeVisible();
  const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  expect(after.twoFactorMethod).toBeNull();
  expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  const events = await db.auditEvent.findMany({
    where: { targetId: user.id, type: { in: ["two_factor.enabled", "two_factor.disabled"] } },
    orderBy: { createdAt: "asc" },
  });
  expect(events.map((e) => [e.type, auditData(e)!.method])).toEqual([
    ["two_factor.enabled", "sms"],
    ["two_factor.enabled", "email"],
    // Turning off records the method sign-in opened with: texts, the stronger of the two.
    ["two_factor.disabled", "sms"],
  ]);
});

test("where only email codes are allowed, an overdue member enrolls by email from the enrollment page", async ({
  page,
}) => {
  const account = await seedAccount("Initech");
  await db.account.update({
    where: { id: account.id },
    data: {
      allowedMethods: ["email"],
      enforceTwoFactor: true,
      enforceGraceDays: 0,
      enforceSince: new Date(Date.now() - 60_000),
    },
  });
  const user = await seedUser({ accountId: account.id });
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/profile\/two-factor\/setup\?required=1/);
  await confirmPassword(page);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your email address" })).toBeVisible();
  await expect(page.getByText("Prefer another way?")).toHaveCount(0);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Enter the code we sent" })).toBeVisible();
  await page.getByLabel("Verification code").fill(await lastSentCode(user.email));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await saveRecoveryCodes(page);
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  await expect(page.getByText("Required by your organisation: it can't be turned off.")).toBeVisible();
  await page.goto("/profile#sessions");
  await expect(page).toHaveURL(/\/profile#sessions$/);
});
