import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { PASSWORD, seedUser, signIn, signInAndExpectProfile, signOut, uniqueEmail } from "./helpers";

test("sign in and out; signed-out browsers cannot reach My Profile", async ({ page }) => {
  const user = await seedUser();
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login$/);
  await signInAndExpectProfile(page, user.email);
  await expect(page.getByRole("link", { name: "Account settings" })).toHaveCount(0);
  await signOut(page);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login$/);
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  const user = await seedUser();
  await signIn(page, user.email, "not my password at all");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
  await signIn(page, uniqueEmail("nobody"), PASSWORD);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/login$/);
});

test("empty fields get inline messages", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
});

test("the password step slows down after repeated failures for one email", async ({ page }) => {
  const user = await seedUser();
  const key = `pw:email:${user.email}`;
  const heldFor = async () =>
    ((await db.rateLimit.findUnique({ where: { key } }))?.blockedUntil?.getTime() ?? 0) - Date.now();
  // Nine wrong passwords, each once the wait before it is over so that each is checked:
  // five free, then waits of 2, 4, 8 and 16 s (README). The last wait is long enough for
  // the right password to meet it however slow the machine is: no timing luck either way.
  for (let i = 0; i < 9; i++) {
    await expect.poll(heldFor, { timeout: 30_000 }).toBeLessThanOrEqual(0);
    await signIn(page, user.email, `wrong password number ${i}`);
    await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  }
  expect(await heldFor()).toBeGreaterThan(10_000);
  await signIn(page, user.email, PASSWORD);
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    /Too many attempts\. Try again in \d+ seconds?\./,
  );
  await expect(page).toHaveURL(/\/login$/);
  // Backoff, not a lock: once the wait the server set for this email is over, the right
  // password works.
  await expect.poll(heldFor, { timeout: 30_000 }).toBeLessThanOrEqual(0);
  await signInAndExpectProfile(page, user.email);
});

test("disabled users cannot sign in", async ({ page }) => {
  const user = await seedUser();
  await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
  await signIn(page, user.email);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This account has been disabled.");
});
