import { expect, type Page, test } from "@playwright/test";
import { adminOf, screenshot, seedAccount, seedUser, signInAndExpectProfile, signOut } from "./helpers";

// Issue 16, point 9: a browser whose session someone else ended used to land on a bare
// sign-in page, and its user could not tell a routine expiry from an intruder. The
// sign-in page now says what kind of person ended it (an administrator, or the user's own other
// browser), never who by name, from a record the server kept under the session token's
// hash: only the browser that held the session can read it, and no link can claim it.

const ADMIN_ENDED = "An administrator of your organisation ended your session. Sign in again to continue.";
const ENDED_ELSEWHERE =
  "This browser was signed out from another browser or device signed in to your account. Sign in again to continue.";

const notice = (page: Page) => page.getByRole("main").getByRole("status");

test("after an admin expires a user's sessions, the user's next page is the sign-in page saying so", async ({
  browser,
}) => {
  const account = await seedAccount();
  const { page: adminPage } = await adminOf(browser, account.id);
  const member = await seedUser({ accountId: account.id, name: "Sam Signedin" });
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);

  await adminPage.goto("/account/users");
  await adminPage.getByRole("link", { name: "Edit Sam Signedin" }).click();
  await adminPage.getByRole("button", { name: "Expire sessions" }).click();
  await adminPage
    .getByRole("dialog", { name: "Expire sessions?" })
    .getByRole("button", { name: "Expire sessions" })
    .click();
  await expect(adminPage.getByText("Their sessions have been expired.", { exact: false })).toBeVisible();

  await memberPage.getByRole("link", { name: "My Profile" }).first().click();
  await expect(memberPage).toHaveURL(/\/login$/);
  await expect(notice(memberPage)).toHaveText(ADMIN_ENDED);
  await expect(memberPage.getByText("Ada Admin")).toHaveCount(0);
  await screenshot(memberPage, "login-after-admin-ended-session");
  await memberPage.setViewportSize({ width: 390, height: 844 });
  await screenshot(memberPage, "login-after-admin-ended-session-phone");

  // Signing in again is the way on; the notice belongs to the ended session only.
  await signInAndExpectProfile(memberPage, member.email);
  await signOut(memberPage);
  await expect(memberPage.getByText("You have been signed out.")).toBeVisible();
  await expect(memberPage.getByText("An administrator")).toHaveCount(0);
});

test("Clear all sessions signs out everyone, the admin included; every user's next page says an administrator ended the session", async ({
  browser,
}) => {
  const account = await seedAccount();
  const { page: adminPage } = await adminOf(browser, account.id);
  const member = await seedUser({ accountId: account.id });
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);
  await adminPage.goto("/account/advanced");
  await adminPage.getByRole("button", { name: "Clear all sessions" }).click();
  await adminPage
    .getByRole("dialog", { name: "Clear all sessions?" })
    .getByRole("button", { name: "Clear all sessions" })
    .click();
  await expect(adminPage).toHaveURL(/\/login/);
  await memberPage.reload();
  await expect(memberPage).toHaveURL(/\/login$/);
  await expect(notice(memberPage)).toHaveText(ADMIN_ENDED);
});

test("Sign out of all other sessions: the other browser is told it was signed out from elsewhere", async ({
  browser,
}) => {
  const user = await seedUser();
  const mine = await browser.newPage();
  const other = await browser.newPage();
  await signInAndExpectProfile(mine, user.email);
  await signInAndExpectProfile(other, user.email);
  await mine.reload();
  await mine.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(mine.getByText("You are not signed in anywhere else.")).toBeVisible();
  await other.goto("/profile");
  await expect(other).toHaveURL(/\/login$/);
  await expect(notice(other)).toHaveText(ENDED_ELSEWHERE);
});

test("a link cannot claim that a session was ended", async ({ page }) => {
  for (const reason of ["admin", "ended", "session-ended", "signed_out_elsewhere"]) {
    await page.goto(`/login?reason=${reason}`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByText(/administrator|another browser/)).toHaveCount(0);
  }
});
