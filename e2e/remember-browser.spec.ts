import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { adminOf, lastSentCode, PASSWORD, screenshot, seedAccount, seedUser, signIn, signOut } from "./helpers";

// README "Remember this browser": a member ticks the box once and the next sign-in asks for
// the password alone; Forget, a password change and the admin turning the setting off each
// bring the second step back. The rules one by one are in tests/sign-in/remembered-browser.test.ts.

const NEW_PASSWORD = "a quiet orchard after rain";

test("a remembered browser is asked once, and again after Forget, a password change and the setting turned off", async ({
  browser,
}) => {
  const account = await seedAccount("Remember");
  const { page: admin } = await adminOf(browser, account.id);
  const member = await seedUser({ accountId: account.id });
  await db.user.update({
    where: { id: member.id },
    data: { twoFactorMethod: "email", emailCodesEnabledAt: new Date() },
  });

  await admin.goto("/account");
  const setting = admin.getByRole("region", { name: "Remember this browser" });
  await setting.getByRole("checkbox", { name: /Allow “Remember this browser”/ }).check();
  await setting.getByLabel("Remember for (days)").fill("14");
  await setting.getByRole("button", { name: "Save" }).click();
  await expect(setting.getByText("Saved.")).toBeVisible();
  await screenshot(admin, "remember-browser-setting");

  const page = await browser.newPage();
  const box = page.getByRole("checkbox", { name: /Don't ask for a second step on this browser for 14 days/ });
  // The password, then the emailed code, with the box ticked or not.
  const askedForSecondStep = async (options: { password?: string; tick: boolean; shot?: string }) => {
    await signIn(page, member.email, options.password ?? PASSWORD);
    await expect(page).toHaveURL(/\/login\/two-factor$/);
    await page.getByLabel("Sign-in code").fill(await lastSentCode(member.email));
    if (options.tick) await box.check();
    if (options.shot) await screenshot(page, options.shot);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/profile/);
  };
  const notAsked = async (password = PASSWORD) => {
    await signIn(page, member.email, password);
    await expect(page).toHaveURL(/\/profile/);
    await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  };

  await askedForSecondStep({ tick: true, shot: "remember-browser-second-step" });
  await signOut(page);
  await notAsked();

  const remembered = page.getByRole("list", { name: "Remembered browsers" });
  await expect(remembered.getByRole("listitem")).toHaveCount(1);
  await expect(remembered.getByText("This browser")).toBeVisible();
  await screenshot(page, "remember-browser-profile");
  await remembered.getByRole("button", { name: /^Forget / }).click();
  await expect(page.getByRole("region", { name: "Remembered browsers" }).getByText(/^None\./)).toBeVisible();
  await signOut(page);
  await askedForSecondStep({ tick: true });

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/Your password has been changed/)).toBeVisible();
  await signOut(page);
  await askedForSecondStep({ password: NEW_PASSWORD, tick: true });
  await signOut(page);
  await notAsked(NEW_PASSWORD);

  await admin.reload();
  await setting.getByRole("checkbox", { name: /Allow “Remember this browser”/ }).uncheck();
  await setting.getByRole("button", { name: "Save" }).click();
  await expect(setting.getByText("Saved. 1 remembered browser was forgotten", { exact: false })).toBeVisible();
  await signOut(page);
  await signIn(page, member.email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(box).toHaveCount(0);
});
