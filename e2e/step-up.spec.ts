import { expect, type Page, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { screenshot, seedUserWithTotp, signIn } from "./helpers";
import { totp } from "./totp";
import { addPasskey, addVirtualAuthenticator } from "./webauthn";

// Sudo mode with any strong factor (README "Sudo mode"), in Chromium with a virtual
// authenticator: the "Confirm it's you" page offers a passkey first, then the app's code,
// then the password, and each opens the page that asked. The rules one by one (replays,
// the lock, other users' keys, single-use challenges) are tests/sessions/sudo.test.ts's.

const lapseSudo = (userId: string) =>
  db.session.updateMany({ where: { userId }, data: { sudoAt: new Date(Date.now() - 16 * 60_000) } });

async function expectConfirmPage(page: Page, purpose: string) {
  await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByRole("heading", { name: `To ${purpose}` })).toBeVisible();
}

test("a passkey or an app code confirms it's you, also to add a method; no password, no password form", async ({
  page,
}) => {
  const { user, secret } = await seedUserWithTotp();
  const authenticator = await addVirtualAuthenticator(page);
  await signIn(page, user.email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await addPasskey(page, "Laptop");
  await expect(page).toHaveURL(/twofactor=passkey-added/);

  // A passkey, by keyboard: it is offered first and has the focus.
  await lapseSudo(user.id);
  await page.goto("/profile/tokens/new");
  await expectConfirmPage(page, "create a personal access token");
  const usePasskey = page.getByRole("button", { name: "Use a passkey" });
  await expect(usePasskey).toBeFocused();
  await expect(page.getByRole("region", { name: "Use your authenticator app" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Use your password" })).toBeVisible();
  const code = page.getByLabel("Authentication code");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await screenshot(page, "step-up-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "step-up-390");
  await page.setViewportSize({ width: 1280, height: 720 });
  const before = (await authenticator.credentials())[0].signCount;
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "New personal access token" })).toBeVisible();
  expect((await authenticator.credentials())[0].signCount).toBeGreaterThan(before);

  // The app's code: a wrong one is refused and counted, the next step's code opens the page.
  await lapseSudo(user.id);
  await page.goto("/profile/two-factor/recovery-codes");
  await expectConfirmPage(page, "view or replace your recovery codes");
  const near = new Set([-1, 0, 1, 2].map((offset) => totp(secret, Date.now(), offset)));
  await code.fill(["000000", "111111", "222222", "333333", "444444"].find((wrong) => !near.has(wrong)) ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not valid. Check your app and try again.")).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(1);
  await code.fill(totp(secret, Date.now(), 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "10 of 10 codes left" })).toBeVisible();

  // No password: the page offers only what the user has.
  await db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
  await lapseSudo(user.id);
  await page.goto("/profile/email");
  await expectConfirmPage(page, "change your email address");
  await expect(page.getByRole("button", { name: "Use a passkey" })).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Forgot your password?" })).toHaveCount(0);

  // Adding a method starts with the same step.
  await page.goto("/profile/two-factor/setup?method=passkey");
  await expect(page.getByRole("heading", { name: "Step 1 of 2: Confirm it's you" })).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 2: Add a passkey or security key" })).toBeVisible();
});
