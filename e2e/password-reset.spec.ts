import { expect, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { screenshot, seedUserWithTotp, signIn, uniqueEmail } from "./helpers";
import { totp } from "./totp";

const NEW_PASSWORD = "a brand new lighthouse keeper";

// The link arrives just after the answer (it is sent after the response), so wait for it.
async function resetLink(email: string) {
  await expect
    .poll(() => db.outboundMessage.count({ where: { to: email, subject: "Reset your StrongSign password" } }))
    .toBe(1);
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { to: email, subject: "Reset your StrongSign password" },
  });
  return new URL(readMessageBody(message)!.match(/https?:\/\/\S+\/reset-password\/\S+/)![0]).pathname;
}

test("forgot password: the emailed link sets a new password once, signs out everywhere, and 2FA still applies", async ({
  browser,
}) => {
  const { user, secret } = await seedUserWithTotp();
  // Signed in elsewhere before the reset.
  const elsewhere = await browser.newPage();
  await signIn(elsewhere, user.email);
  await elsewhere.getByLabel("Authentication code").fill(totp(secret));
  await elsewhere.getByRole("button", { name: "Verify" }).click();
  await expect(elsewhere.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();

  const page = await browser.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByText(`If ${user.email} has a StrongSign account, we've emailed it a link`)).toBeVisible();

  // An address without an account gets the same answer, and no email.
  const stranger = uniqueEmail("stranger");
  await page.goto("/login/forgot");
  await page.getByLabel("Email").fill(stranger);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByText(`If ${stranger} has a StrongSign account, we've emailed it a link`)).toBeVisible();

  const link = await resetLink(user.email);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("password1234");
  await page.getByLabel("Confirm new password").fill("password1234");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This password is too common.", { exact: false })).toBeVisible();
  await screenshot(page, "password-reset");
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed and every session signed out.")).toBeVisible();
  expect(await db.outboundMessage.count({ where: { to: stranger } })).toBe(0);

  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/login/);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();

  // The new password works, and the second step is still asked for.
  await signIn(page, user.email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await page.getByLabel("Authentication code").fill(totp(secret, Date.now(), 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  expect(await db.auditEvent.count({ where: { targetId: user.id, type: "password.reset" } })).toBe(1);
});
