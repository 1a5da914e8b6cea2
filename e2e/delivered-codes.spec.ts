import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { lastSentCode, seedUser, signIn } from "./helpers";

test("an email code is sent after the password and signs in once; resend is throttled", async ({ page }) => {
  const user = await seedUser();
  await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email", emailCodesEnabledAt: new Date() } });
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByText(/We emailed a 6-digit code to m•••@acme\.test\./)).toBeVisible();
  await page.getByRole("button", { name: "Resend code" }).click();
  await expect(page.getByText(/Please wait \d+ seconds before asking for another code\./)).toBeVisible();
  await page.getByLabel("Sign-in code").fill(await lastSentCode(user.email));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.getByText("Codes by email")).toBeVisible();
});

test("an SMS code goes to the phone; when SMS fails the code is emailed and the page says so", async ({ browser }) => {
  const texted = await seedUser();
  await db.user.update({
    where: { id: texted.id },
    data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone: "+447700900123", phoneVerifiedAt: new Date() },
  });
  const page = await browser.newPage();
  await signIn(page, texted.email);
  await expect(page.getByText("We sent a 6-digit code by SMS to +44 •••• •••123.")).toBeVisible();
  await page.getByLabel("Sign-in code").fill(await lastSentCode("+447700900123"));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);

  const unlucky = await seedUser();
  await db.user.update({
    where: { id: unlucky.id },
    data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone: "+447700900000", phoneVerifiedAt: new Date() },
  });
  const other = await browser.newPage();
  await signIn(other, unlucky.email);
  await expect(other.getByText("We couldn't send a text message, so we emailed the code instead.")).toBeVisible();
  expect(await db.outboundMessage.findFirst({ where: { to: "+447700900000" } })).toMatchObject({ status: "failed" });
  await other.getByLabel("Sign-in code").fill(await lastSentCode(unlucky.email));
  await other.getByRole("button", { name: "Verify" }).click();
  await expect(other).toHaveURL(/\/profile/);
});
