import { expect, test } from "@playwright/test";
import { OWNER, screenshot, signOut } from "./helpers";

test("first run: /setup creates the account and its owner, then closes for ever", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up StrongSign" })).toBeVisible();
  await screenshot(page, "setup");

  await page.getByLabel("Organisation name").fill(OWNER.account);
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill("password1234");
  await page.getByLabel("Confirm password").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is too common.")).toBeVisible();
  await expect(page.getByLabel("Organisation name")).toHaveValue(OWNER.account);

  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Confirm password").fill(`${OWNER.password}x`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("The passwords don't match.")).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Confirm password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.getByText(`Your account is ready. Welcome to StrongSign, ${OWNER.name}.`)).toBeVisible();
  await expect(page.getByRole("link", { name: "Account settings" })).toBeVisible();
  await expect(page.getByText(OWNER.account)).toBeVisible();
  await screenshot(page, "profile");

  await signOut(page);
  await expect(page.getByText("You have been signed out.")).toBeVisible();
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login/);
});
