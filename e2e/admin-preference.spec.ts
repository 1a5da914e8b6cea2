import { expect, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { lastSentCode, screenshot, seedAccount, seedUser, seedUserWithTotp, signIn } from "./helpers";
import { totp } from "./totp";

// A choice that silently undoes itself: after SMS was saved the radios showed "Not set
// by an administrator" again (React resets a form after its action), so the next save
// of anything on the form removed the method. A refused save lost the choice and what
// was typed. Now the form shows what was saved, or what was posted when it was refused.
test("an admin's 2FA preference stays chosen after saving, and a refusal keeps what was typed", async ({ browser }) => {
  const account = await seedAccount("Prefco");
  const { user: admin, secret } = await seedUserWithTotp({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Sam Texter" });
  const page = await browser.newPage();
  await signIn(page, admin.email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await page.goto("/account/users");
  await page.getByRole("link", { name: "Edit Sam Texter" }).click();
  await expect(page.getByRole("heading", { name: "Sam Texter", level: 2 })).toBeVisible();

  const sms = page.getByLabel("Authentication by SMS");
  const phone = page.getByLabel("Phone number");
  const save = page.getByRole("button", { name: "Save preference" });
  await expect(phone).toBeHidden();
  await sms.check();
  await expect(phone).toBeVisible();

  // No number: said next to the field, the choice kept, nothing saved.
  await save.click();
  await expect(page.getByText("Enter the phone number the codes should be texted to")).toBeVisible();
  await expect(sms).toBeChecked();
  await expect(phone).toBeVisible();
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  // A number without its country code: refused, kept as typed.
  await phone.fill("07700 900123");
  await save.click();
  await expect(page.getByText("That is not a mobile number we can text", { exact: false })).toBeVisible();
  await expect(sms).toBeChecked();
  await expect(phone).toHaveValue("07700 900123");
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).twoFactorMethod).toBeNull();
  await screenshot(page, "admin-preference-refused");

  await phone.fill("+44 7700 900123");
  await save.click();
  await expect(page.getByText("Two-factor preference saved.")).toBeVisible();
  await expect(sms).toBeChecked();
  await expect(page.getByLabel("Not set by an administrator")).not.toBeChecked();
  // Shown masked, as everywhere; the field is for a new number and left empty keeps this one.
  await expect(page.getByText("Their number is +44 •••• •••123, not verified yet.", { exact: false })).toBeVisible();
  await expect(phone).toHaveValue("");
  await expect(page.getByRole("definition").filter({ hasText: "SMS" })).toBeVisible();
  await screenshot(page, "admin-preference-saved");

  // A second save keeps it, and so does a reload.
  await save.click();
  await expect(sms).toBeChecked();
  await page.reload();
  await expect(sms).toBeChecked();
  expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
    twoFactorMethod: "sms",
    phone: "+447700900123",
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "admin-preference-phone");

  // The member is told, and can get recovery codes for the method they did not choose.
  const mail = await db.outboundMessage.findFirstOrThrow({
    where: { userId: member.id, subject: "An administrator set up your two-factor authentication" },
  });
  expect(readMessageBody(mail)).toContain("texted to +44 •••• •••123");
  expect(readMessageBody(mail)).toContain("/profile/two-factor/recovery-codes");
  const memberPage = await browser.newPage();
  await signIn(memberPage, member.email);
  await expect(memberPage.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
  await memberPage.getByLabel("Sign-in code").fill(await lastSentCode("+447700900123"));
  await memberPage.getByRole("button", { name: "Verify" }).click();
  await expect(memberPage).toHaveURL(/\/profile/);
  // Just signed in with the password: no need to give it again.
  await memberPage.goto("/profile/two-factor/recovery-codes");
  await expect(memberPage.getByText("You have no recovery codes yet.", { exact: false })).toBeVisible();
  await memberPage.getByRole("button", { name: "Generate new codes" }).click();
  await memberPage
    .getByRole("dialog", { name: "Generate new recovery codes?" })
    .getByRole("button", { name: "Generate new codes" })
    .click();
  const codes = memberPage.getByRole("dialog", { name: "Save your recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
});
