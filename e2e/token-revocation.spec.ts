import { type APIRequestContext, expect, test } from "@playwright/test";
import { auditData } from "../lib/audit/record";
import { db } from "../lib/platform/db";
import { PASSWORD, screenshot, seedAccount, seedUser, signInAndExpectProfile } from "./helpers";
import { totp } from "./totp";

// The attack: an attacker who took over the account keeps API access after the owner
// recovers it. With the password (phished, reused) they sign in from their own browser,
// make a personal access token and sign in through the API; the owner notices and signs
// everyone else out, or turns on 2FA. None of what the attacker made may keep working.

const REVOKED = "Your personal access tokens were revoked";

async function meStatus(request: APIRequestContext, token: string) {
  return (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status();
}

test("signing out of all other sessions with the box ticked ends the attacker's browser and token", async ({
  browser,
  request,
}) => {
  const user = await seedUser({ name: "Rita Recover" });
  const owner = await browser.newPage();
  const attacker = await browser.newPage();
  await signInAndExpectProfile(owner, user.email);
  await signInAndExpectProfile(attacker, user.email);

  await attacker.getByRole("link", { name: "Generate new token" }).click();
  await expect(attacker.getByRole("heading", { name: "New personal access token" })).toBeVisible();
  await attacker.getByLabel("Name").fill("backup sync");
  await attacker.getByRole("button", { name: "Generate token" }).click();
  const token = (await attacker.getByLabel("New personal access token").innerText()).trim();
  expect(await meStatus(request, token)).toBe(200);

  await owner.reload();
  await expect(owner.getByRole("list", { name: "Personal access tokens" })).toContainText("backup sync");
  await owner.getByRole("checkbox", { name: "Also revoke my personal access tokens" }).check();
  await screenshot(owner, "sign-out-others-with-tokens");
  await owner.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(owner.getByText("You have no tokens.")).toBeVisible();
  await expect(owner.getByText("You are not signed in anywhere else.")).toBeVisible();

  expect(await meStatus(request, token)).toBe(401);
  await attacker.goto("/profile");
  await expect(attacker).toHaveURL(/\/login$/);
  await owner.reload();
  await expect(owner.getByRole("heading", { name: "My Profile" })).toBeVisible();
  expect(await db.outboundMessage.count({ where: { to: user.email, subject: REVOKED } })).toBe(1);
  const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: user.id, type: "session.others_revoked" } });
  expect(auditData(event)!).toMatchObject({ count: 1, tokensRevoked: 1 });
});

test("turning on 2FA in one browser signs out the other browser and API sign-in tokens", async ({
  browser,
  request,
}) => {
  const user = await seedUser({ name: "Tom Turnon" });
  const mine = await browser.newPage();
  const other = await browser.newPage();
  await signInAndExpectProfile(mine, user.email);
  await signInAndExpectProfile(other, user.email);
  const signedIn = await request.post("/api/v1/auth/sign-in", { data: { email: user.email, password: PASSWORD } });
  const { token: apiToken } = await signedIn.json();
  expect(await meStatus(request, apiToken)).toBe(200);

  await mine.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(mine.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await mine.getByLabel("Current password").fill(PASSWORD);
  await mine.getByRole("button", { name: "Continue" }).click();
  await expect(mine.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  const secret = (await mine.getByLabel("Setup key").innerText()).replace(/\s/g, "");
  await mine.getByLabel("Authentication code").fill(totp(secret));
  await mine.getByRole("button", { name: "Verify and turn on" }).click();
  const dialog = mine.getByRole("dialog", { name: "Save your recovery codes" });
  await dialog.getByRole("checkbox", { name: "I've saved these codes" }).check();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(mine.getByText("Two-factor authentication is on.", { exact: false })).toBeVisible();

  await other.goto("/profile");
  await expect(other).toHaveURL(/\/login$/);
  expect(await meStatus(request, apiToken)).toBe(401);
  await mine.reload();
  await expect(mine.getByRole("heading", { name: "My Profile" })).toBeVisible();
  await expect(mine.getByText("You are not signed in anywhere else.")).toBeVisible();
});

test("clearing all sessions with the box ticked revokes every user's tokens", async ({ browser, request }) => {
  const account = await seedAccount("Breachco");
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Bea Breach" });
  const member = await seedUser({ accountId: account.id, name: "Milo Member" });
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);
  await memberPage.getByRole("link", { name: "Generate new token" }).click();
  await expect(memberPage.getByRole("heading", { name: "New personal access token" })).toBeVisible();
  await memberPage.getByLabel("Name").fill("deploy bot");
  await memberPage.getByRole("button", { name: "Generate token" }).click();
  const token = (await memberPage.getByLabel("New personal access token").innerText()).trim();
  expect(await meStatus(request, token)).toBe(200);

  const page = await browser.newPage();
  await signInAndExpectProfile(page, admin.email);
  await page.goto("/account/advanced");
  await page.getByRole("button", { name: "Clear all sessions" }).click();
  const dialog = page.getByRole("dialog", { name: "Clear all sessions?" });
  await dialog.getByRole("checkbox", { name: "Also revoke every user's personal access tokens" }).check();
  await screenshot(page, "clear-all-sessions-with-tokens");
  await dialog.getByRole("button", { name: "Clear all sessions" }).click();
  await expect(page).toHaveURL(/\/login/);

  expect(await meStatus(request, token)).toBe(401);
  await memberPage.goto("/profile");
  await expect(memberPage).toHaveURL(/\/login$/);
  expect(await db.outboundMessage.count({ where: { to: member.email, subject: REVOKED } })).toBe(1);
});
