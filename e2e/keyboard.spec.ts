import { expect, type Locator, type Page, test } from "@playwright/test";
import { PASSWORD, seedUser } from "./helpers";
import { totp } from "./totp";

// Presses Tab until the element has focus, as a keyboard user would.
async function tabTo(page: Page, target: Locator, maxPresses = 40) {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`could not reach ${target} with Tab`);
}

test("keyboard only: sign in, set up an authenticator app, save the recovery codes, use the user menu", async ({
  page,
}) => {
  const user = await seedUser();
  await page.goto("/login");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();

  await tabTo(page, page.getByRole("link", { name: "Set up two-factor authentication" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await expect(page.getByLabel("Current password")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  const secret = (await page.getByLabel("Setup key").innerText()).replace(/\s/g, "");
  await tabTo(page, page.getByLabel("Authentication code"));
  await page.keyboard.type(totp(secret));
  await page.keyboard.press("Enter");

  // The codes dialog holds the focus, and Escape cannot close it before they are saved.
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog).toBeVisible();
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog")))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeVisible();
  await tabTo(page, dialog.getByRole("button", { name: "Download" }));
  const download = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  expect((await download).suggestedFilename()).toBe("strongsign-recovery-codes.txt");
  await expect(dialog.getByRole("checkbox", { name: "I've saved these codes" })).toBeChecked();
  await tabTo(page, dialog.getByRole("button", { name: "Done" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Two-factor authentication is on.", { exact: false })).toBeVisible();

  // The user menu opens with Enter, closes with Escape (focus back on its button), and
  // its "Sign out" is reachable with Tab.
  const menuButton = page.getByRole("button", { name: "User menu" });
  await tabTo(page, menuButton);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
  await expect(menuButton).toBeFocused();
  await page.keyboard.press("Enter");
  await tabTo(page, page.getByRole("button", { name: "Sign out" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login/);
});
