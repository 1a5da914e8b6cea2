import { expect, test } from "@playwright/test";
import { PASSWORD, seedUser, signInAndExpectProfile } from "./helpers";

test("sessions list shows both browsers and can sign out the other one", async ({ browser }) => {
  const user = await seedUser();
  const laptop = await browser.newPage();
  const phone = await browser.newPage({
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  });
  await signInAndExpectProfile(laptop, user.email);
  await signInAndExpectProfile(phone, user.email);

  await laptop.reload();
  const list = laptop.getByRole("list", { name: "Active sessions" });
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list.getByText("This device")).toHaveCount(1);
  await expect(list.getByText("Safari on iOS")).toBeVisible();

  await list.getByRole("button", { name: /^Sign out Safari on iOS/ }).click();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(laptop.getByText("You are not signed in anywhere else.")).toBeVisible();

  // The revoked browser is signed out on its very next request.
  await phone.reload();
  await expect(phone).toHaveURL(/\/login$/);
  await laptop.reload();
  await expect(laptop.getByRole("heading", { name: "My Profile" })).toBeVisible();
});

test("sign out of all other sessions", async ({ browser }) => {
  const user = await seedUser();
  const pages = await Promise.all([browser.newPage(), browser.newPage(), browser.newPage()]);
  for (const page of pages) await signInAndExpectProfile(page, user.email);
  const [mine, ...others] = pages;
  await mine.reload();
  await expect(mine.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(3);
  await mine.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(mine.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);
  for (const page of others) {
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/login$/);
  }
});

test("changing the password ends the other browser's session", async ({ browser }) => {
  const user = await seedUser();
  const mine = await browser.newPage();
  const other = await browser.newPage();
  await signInAndExpectProfile(mine, user.email);
  await signInAndExpectProfile(other, user.email);

  await mine.getByLabel("Current password").fill("a wrong current password");
  await mine.getByLabel("New password", { exact: true }).fill("an entirely new passphrase");
  await mine.getByLabel("Confirm new password").fill("an entirely new passphrase");
  await mine.getByRole("button", { name: "Change password" }).click();
  await expect(mine.getByText("Your current password is incorrect.")).toBeVisible();

  await mine.getByLabel("Current password").fill(PASSWORD);
  await mine.getByLabel("New password", { exact: true }).fill("an entirely new passphrase");
  await mine.getByLabel("Confirm new password").fill("an entirely new passphrase");
  await mine.getByRole("button", { name: "Change password" }).click();
  await expect(mine.getByText("Your password has been changed. 1 other session was signed out.")).toBeVisible();

  await other.reload();
  await expect(other).toHaveURL(/\/login$/);
  await mine.reload();
  await expect(mine.getByRole("heading", { name: "My Profile" })).toBeVisible();
  await signInAndExpectProfile(other, user.email, "an entirely new passphrase");
});

test("a new name shows in the header at once", async ({ page }) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  await page.getByLabel("Name", { exact: true }).fill("Maxine Member");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your name has been saved.")).toBeVisible();
  await expect(page.getByRole("banner").getByText("Maxine Member").first()).toBeVisible();
});
