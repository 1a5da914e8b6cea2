import { type Browser, expect, type Page, test } from "@playwright/test";
import { createAccessToken } from "../lib/api/access-tokens";
import { db } from "../lib/platform/db";
import { screenshot, seedAccount, seedUser, seedUserWithTotp, signIn, signInAndExpectProfile } from "./helpers";
import { totp } from "./totp";

// Times used to be shown in UTC, which is nobody's wall clock: a deadline "18:00 UTC"
// read in Kolkata is 23:30. Every time on the pages is now the browser's own; a zone
// with a half-hour offset makes a UTC time impossible to pass for a local one.
const ZONE = "Asia/Kolkata";
test.use({ timezoneId: ZONE, locale: "en-GB" });

function local(iso: string) {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: ZONE,
  }).format(new Date(iso));
}

// Every <time> on the page reads as the browser's local time, and nothing says UTC.
async function expectLocalTimes(page: Page, atLeast: number) {
  await expect(page.locator("body")).not.toContainText("UTC");
  const shown = await page
    .locator("time")
    .evaluateAll((times) => times.map((time) => [time.getAttribute("datetime") ?? "", time.textContent ?? ""]));
  expect(shown.length).toBeGreaterThanOrEqual(atLeast);
  for (const [iso, text] of shown) expect(text, `the time ${iso}`).toContain(local(iso));
}

async function signInWithApp(browser: Browser, email: string, secret: string) {
  const page = await browser.newPage();
  await signIn(page, email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  return page;
}

test("sessions, tokens, 2FA, the grace deadline and the users list show the browser's time zone", async ({
  browser,
}) => {
  const account = await seedAccount("Zonal");
  await db.account.update({
    where: { id: account.id },
    data: { enforceTwoFactor: true, enforceSince: new Date(), enforceGraceDays: 3 },
  });
  const member = await seedUser({ accountId: account.id, name: "Kiran Local" });
  const token = await createAccessToken({
    userId: member.id,
    name: "Nightly export",
    scopes: ["read"],
    expiresInDays: 30,
    request: { ip: "127.0.0.1", userAgent: "seed" },
  });
  expect(token.ok).toBe(true);

  const page = await browser.newPage();
  await signInAndExpectProfile(page, member.email);
  // The grace banner: local time and how far away.
  await expect(page.getByRole("status").filter({ hasText: "requires two-factor authentication" })).toContainText(
    "(in 3 days)",
  );
  await expect(page.getByText("(in 30 days)")).toBeVisible(); // the token's expiry
  // Banner deadline, two session times, token created and expires.
  await expectLocalTimes(page, 5);
  await screenshot(page, "local-times-profile");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "local-times-profile-phone");

  const { user: admin, secret } = await seedUserWithTotp({ role: "ADMIN", accountId: account.id, name: "Ada Zonal" });
  const adminPage = await signInWithApp(browser, admin.email, secret);
  await expect(adminPage.getByText(/^Since /)).toBeVisible();
  await expectLocalTimes(adminPage, 3); // 2FA since, session signed in and last seen
  await adminPage.goto("/account");
  await expect(adminPage.getByText("Required for everyone who is not exempt, from", { exact: false })).toBeVisible();
  await expectLocalTimes(adminPage, 1);
  await adminPage.goto("/account/users");
  await expect(adminPage.getByRole("link", { name: "Edit Kiran Local" })).toBeVisible();
  await expectLocalTimes(adminPage, 2); // both have signed in
  await adminPage.getByRole("link", { name: "Edit Kiran Local" }).click();
  await expect(adminPage.getByRole("heading", { name: "Kiran Local", level: 2 })).toBeVisible();
  await expectLocalTimes(adminPage, 1);
});
