import { expect, test } from "@playwright/test";
import { maskPhone } from "../lib/messages/phone";
import { db } from "../lib/platform/db";
import {
  lastSentCode,
  PASSWORD,
  screenshot,
  seedAccount,
  seedSmsUser,
  seedUser,
  signIn,
  signInAndExpectProfile,
} from "./helpers";

// SMS pumping, from outside: someone who knows a password signs in again and again, and
// each sign-in used to send a text at the organisation's cost. Past five texts in an
// hour the code goes by email, and the page says why; past ten emailed codes none is
// sent, and the page says when the next can be.

test("an SMS user signing in six times in an hour gets the sixth code by email, and is told why", async ({ page }) => {
  const { user, phone } = await seedSmsUser();
  for (let i = 1; i <= 5; i++) {
    await signIn(page, user.email);
    await expect(page.getByText(`We sent a 6-digit code by SMS to ${maskPhone(phone)}.`)).toBeVisible();
    await expect(page.getByText(/emailed/)).toHaveCount(0);
  }
  await signIn(page, user.email);
  await expect(
    page.getByRole("status").filter({ hasText: "You've had several texts this hour, so we emailed the code instead." }),
  ).toBeVisible();
  await expect(page.getByText(/We emailed a 6-digit code to m•••@acme\.test\./)).toBeVisible();
  await screenshot(page, "sms-cap-fallback");
  expect(await db.outboundMessage.count({ where: { to: phone } })).toBe(5);
  expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sms.limited" } })).toBe(1);

  await page.getByLabel("Sign-in code").fill(await lastSentCode(user.email));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
});

test("past ten emailed sign-in codes in an hour none is sent, and the page says when to try", async ({
  page,
  request,
}) => {
  const user = await seedUser();
  await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email", emailCodesEnabledAt: new Date() } });
  // Ten sign-ins through the API, which sends its codes the same way.
  for (let i = 0; i < 10; i++) {
    const response = await request.post("/api/v1/auth/sign-in", { data: { email: user.email, password: PASSWORD } });
    expect(await response.json()).toMatchObject({ status: "two_factor_required", code_sent_by: "email" });
  }
  const started = Date.now();
  await signIn(page, user.email);
  await expect(page.getByText("We haven't sent you a sign-in code for this sign-in.")).toBeVisible();
  const notice = page
    .getByRole("status")
    .filter({ hasText: "We've sent you many sign-in codes this hour, so we didn't send another." });
  await expect(notice).toContainText("Ask for a new one after");
  const when = new Date((await notice.locator("time").getAttribute("datetime"))!);
  expect(when.getTime()).toBeGreaterThan(started + 55 * 60_000);
  expect(when.getTime()).toBeLessThanOrEqual(started + 60 * 60_000);
  expect(await db.outboundMessage.count({ where: { to: user.email } })).toBe(10);
  await screenshot(page, "email-code-cap");
  await page.getByRole("button", { name: "Resend code" }).click();
  await expect(
    page.getByText(
      /We've sent you many sign-in codes this hour, so we won't send another yet\. Try again in \d+ minutes\./,
    ),
  ).toBeVisible();
  expect(await db.outboundMessage.count({ where: { to: user.email } })).toBe(10);
});

test("an admin sets the account's hourly cap on texts in Advanced settings; it is checked and audited", async ({
  page,
}) => {
  const account = await seedAccount("Textco");
  const admin = await seedUser({ role: "ADMIN", accountId: account.id });
  await signInAndExpectProfile(page, admin.email);
  await page.goto("/account/advanced");
  const texts = page.getByRole("region", { name: "Text messages" });
  await expect(texts.getByLabel("Text messages per hour")).toHaveValue("100");
  // Each refusal has its own words, so that each wait below waits for its own answer.
  for (const [bad, error] of [
    ["10001", "Use 0 to 10,000 texts."],
    ["2.5", "Enter a whole number."],
    ["-1", "Use 0 to 10,000 texts."],
  ]) {
    await texts.getByLabel("Text messages per hour").fill(bad);
    await texts.getByRole("button", { name: "Save" }).click();
    await expect(texts.getByText(error)).toBeVisible();
  }
  expect((await db.account.findUniqueOrThrow({ where: { id: account.id } })).smsPerHour).toBe(100);
  await texts.getByLabel("Text messages per hour").fill("20");
  await texts.getByRole("button", { name: "Save" }).click();
  await expect(texts.getByText("Saved.")).toBeVisible();
  await screenshot(page, "account-advanced-texts");
  expect((await db.account.findUniqueOrThrow({ where: { id: account.id } })).smsPerHour).toBe(20);
  const event = await db.auditEvent.findFirstOrThrow({ where: { accountId: account.id, type: "sms.limit_changed" } });
  expect(event).toMatchObject({ actorId: admin.id, data: { from: 100, to: 20 } });
});
