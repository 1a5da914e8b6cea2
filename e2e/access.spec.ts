import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, seedUser, seedUserWithTotp, signInAndExpectProfile } from "./helpers";
import { totp } from "./totp";

test("members are refused Account settings; admins see it", async ({ browser }) => {
  const member = await seedUser({ role: "MEMBER" });
  const admin = await seedUser({ role: "ADMIN" });
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);
  await expect(memberPage.getByRole("link", { name: "Account settings" })).toHaveCount(0);
  await memberPage.goto("/account");
  await expect(memberPage).toHaveURL(/\/profile\?denied=account/);
  await expect(memberPage.getByRole("main").getByRole("alert")).toHaveText(
    "Account settings are only available to administrators.",
  );

  const adminPage = await browser.newPage();
  await signInAndExpectProfile(adminPage, admin.email);
  await adminPage.getByRole("link", { name: "Account settings" }).click();
  await expect(adminPage.getByRole("heading", { level: 1, name: "Account settings" })).toBeVisible();
  await adminPage.getByRole("navigation", { name: "Account settings" }).getByRole("link", { name: "Users" }).click();
  await expect(adminPage.getByRole("cell", { name: new RegExp(OWNER.email) })).toBeVisible();
});

test("security headers and no caching on authenticated pages", async ({ page }) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  const response = await page.goto("/profile");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["cache-control"]).toContain("no-store");
});

test("the session cookie is HttpOnly, SameSite=Lax and host-only", async ({ page, context }) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(cookie).toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe("Lax");
  expect(cookie!.domain).toBe("localhost");
  // The cookie is an opaque random token, not a readable JWT with user data in it.
  expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

// CSRF: a page on another origin posting to us with the victim's cookies is refused
// before any application code runs.
test("cross-site POSTs are refused", async ({ page, baseURL }) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  const forged = await page.request.post(`${baseURL}/profile`, {
    headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    data: "name=pwned",
  });
  expect(forged.status()).toBe(403);
  const crossSite = await page.request.post(`${baseURL}/login`, {
    headers: { "sec-fetch-site": "cross-site" },
    data: "",
  });
  expect(crossSite.status()).toBe(403);
  // Sign-out is a plain form posted to a route (app/sign-out): another site cannot post it.
  const forgedSignOut = await page.request.post(`${baseURL}/sign-out`, {
    headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    data: "",
    maxRedirects: 0,
  });
  expect(forgedSignOut.status()).toBe(403);
  await page.goto("/profile");
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
});

test("the development outbox lists messages and errors show no internals", async ({ page }) => {
  await page.goto("/dev/outbox");
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
  const missing = await page.goto("/no-such-page");
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

// Forms are server actions, which work before (or without) JavaScript: a post the browser
// sends by itself carries the page's real Origin, so the same-origin check lets it through.
test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the password step signs in", async ({ page }) => {
    const user = await seedUser();
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/profile/);
    await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  });

  // With script the code form posts to a route of its own (app/login/two-factor/verify);
  // without, to its server action, which answers a wrong code with the form and a right
  // one with the signed-in app.
  test("the second step refuses a wrong code and signs in with the right one", async ({ page }) => {
    const { user, secret } = await seedUserWithTotp();
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/login\/two-factor/);
    const wrong = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    await page.getByLabel("Authentication code").fill(wrong);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("That code is not valid");
    await page.getByLabel("Authentication code").fill(totp(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/profile/);
    await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  });
});
