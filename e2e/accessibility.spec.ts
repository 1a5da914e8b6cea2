import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { PASSWORD, seedAccount, seedUser, seedUserWithTotp, signIn, signInAndExpectProfile } from "./helpers";
import { totp } from "./totp";

// axe-core's WCAG 2.1 A and AA rules on the pages people use most, at desktop and phone
// widths. A violation names the rule and the elements, so the failure says what to fix.
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

test("sign-in pages", async ({ page }) => {
  await page.goto("/login");
  await expectNoViolations(page);
  await page.goto("/login/forgot");
  await expectNoViolations(page);
  const { user } = await seedUserWithTotp();
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await expectNoViolations(page);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await expect(page.getByLabel("Recovery code")).toBeVisible();
  await expectNoViolations(page);
  // The second step of a locked user: the lock's notice instead of the form.
  await db.user.update({
    where: { id: user.id },
    data: { secondFactorLockedUntil: new Date(Date.now() + 10 * 60_000) },
  });
  await signIn(page, user.email);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("locked until");
  await expectNoViolations(page);
});

test("My Profile, two-factor setup and the recovery codes dialog, also at phone width", async ({ page }) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  await expectNoViolations(page);
  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await expectNoViolations(page);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  await expectNoViolations(page);

  await page.getByRole("link", { name: "Get codes by text message instead" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoViolations(page);

  await page.getByRole("button", { name: "Use an authenticator app instead" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  const secret = (await page.getByLabel("Setup key").innerText()).replace(/\s/g, "");
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog).toBeVisible();
  await expectNoViolations(page);
  await dialog.getByRole("button", { name: "Download" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("Two-factor authentication is on.", { exact: false })).toBeVisible();
  await expectNoViolations(page);
});

test("Account settings", async ({ page }) => {
  const admin = await seedUser({ role: "ADMIN" });
  await signInAndExpectProfile(page, admin.email);
  for (const path of ["/account", "/account/advanced", "/account/users", "/account/audit", "/profile/tokens/new"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page);
  }
  // Many tests add people to this account: search, so the link is on the first page.
  await page.goto("/account/users?q=Max+Member");
  await page.getByRole("link", { name: "Max Member" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoViolations(page);
});

test("security log, a refused audit filter, an empty user search and the phone number input", async ({ page }) => {
  const account = await seedAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id });
  const member = await seedUser({ accountId: account.id });
  await signInAndExpectProfile(page, admin.email);
  for (const path of [
    "/profile/security-log",
    "/account/audit?from=2026-03-05&to=2026-03-01",
    "/account/users?q=nobody",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page);
  }
  await page.goto(`/account/users/${member.id}`);
  await page.getByLabel("Authentication by SMS").check();
  await page.getByLabel("Phone number").fill("123");
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("That is not a mobile number we can text.", { exact: false })).toBeVisible();
  await expectNoViolations(page);
});

test("at phone width no page is wider than the screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const admin = await seedUser({ role: "ADMIN" });
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  for (const path of ["/login", "/login/forgot"]) {
    await page.goto(path);
    expect(await pageWidth(), path).toBeLessThanOrEqual(390);
  }
  await signInAndExpectProfile(page, admin.email);
  for (const path of [
    "/profile",
    "/profile/two-factor/setup",
    "/account",
    "/account/advanced",
    "/account/users",
    "/account/audit",
    "/profile/security-log",
    `/account/users/${admin.id}`,
    "/profile/tokens/new",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await pageWidth(), path).toBeLessThanOrEqual(390);
  }
});
