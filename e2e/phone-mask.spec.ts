import { expect, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { maskPhone } from "../lib/messages/phone";
import { db } from "../lib/platform/db";
import { lastSentCode, screenshot, seedAccount, seedUser, signIn, signInAndExpectProfile } from "./helpers";

// A phone number is shown one way wherever it appears (lib/messages/phone.ts maskPhone): enough
// for its owner to recognise, never the whole number. The second step used to say "your
// phone ending in 23" and the admin's form showed the whole number.
test.use({ locale: "en-GB" });

const PHONE = "+447700900123";
const MASK = "+44 •••• •••123";

test("an admin's, a list's, an email's, a log's and the owner's view of a number are one mask", async ({ browser }) => {
  expect(maskPhone(PHONE)).toBe(MASK);
  const account = await seedAccount("Maskco");
  await db.account.update({ where: { id: account.id }, data: { allowedMethods: ["totp", "sms", "email"] } });
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Tess Texter" });
  const whole = /7700 ?900 ?123|900123/;

  const page = await browser.newPage();
  await signInAndExpectProfile(page, admin.email);
  await page.goto(`/account/users/${member.id}`);
  await page.getByLabel("Authentication by SMS").check();
  await page.getByLabel("Phone number").fill("07700 900123");
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("Two-factor preference saved.")).toBeVisible();

  // The admin's user page and form.
  await page.reload();
  await expect(page.getByText(`Their number is ${MASK}, not verified yet.`, { exact: false })).toBeVisible();
  await expect(page.getByLabel("Phone number")).toHaveValue("");
  await expect(page.locator("body")).not.toContainText(whole);
  await screenshot(page, "phone-mask-admin-form");

  // The Users list.
  await page.goto("/account/users");
  const row = page.getByRole("row").filter({ hasText: "Tess Texter" });
  await expect(row.getByText(`Texts to ${MASK}`)).toBeVisible();
  await expect(page.locator("body")).not.toContainText(whole);
  await screenshot(page, "phone-mask-users");

  // The audit log.
  await page.goto("/account/audit");
  const log = page.getByRole("table", { name: "Audit events" });
  await expect(
    log.getByText(`from no method chosen to text message (SMS) · phone number changed · texts go to ${MASK}`),
  ).toBeVisible();
  await expect(page.locator("body")).not.toContainText(whole);

  // The email to the member.
  const notice = await db.outboundMessage.findFirstOrThrow({
    where: { userId: member.id, subject: "An administrator set up your two-factor authentication" },
  });
  expect(readMessageBody(notice)).toContain(`texted to ${MASK}`);
  expect(readMessageBody(notice)).not.toMatch(whole);

  // The second step, then My Profile, where an admin's choice came without recovery codes.
  const memberPage = await browser.newPage();
  await signIn(memberPage, member.email);
  await expect(memberPage.getByText(`We sent a 6-digit code by SMS to ${MASK}.`)).toBeVisible();
  await expect(memberPage.locator("body")).not.toContainText(whole);
  await screenshot(memberPage, "phone-mask-second-step");
  await memberPage.getByLabel("Sign-in code").fill(await lastSentCode(PHONE));
  await memberPage.getByRole("button", { name: "Verify" }).click();
  await expect(memberPage.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  await expect(memberPage.getByText(`Codes texted to ${MASK}.`)).toBeVisible();
  await expect(memberPage.locator("body")).not.toContainText(whole);

  // Never given recovery codes: not "None left", but that there are none yet.
  await expect(
    memberPage.getByText("You have none yet: get a set so you can sign in if you lose your devices."),
  ).toBeVisible();
  await expect(memberPage.getByText("None left")).toHaveCount(0);
  await expect(memberPage.getByRole("link", { name: "Get recovery codes" })).toBeVisible();
  await screenshot(memberPage, "phone-mask-profile");

  // Their security log.
  await memberPage.getByRole("link", { name: "View security log" }).click();
  const own = memberPage.getByRole("table", { name: "Your security events" });
  await expect(own.getByText(`texts go to ${MASK}`, { exact: false })).toBeVisible();
  await expect(own.getByText("with text message (SMS)", { exact: true })).toBeVisible();
  await expect(memberPage.locator("body")).not.toContainText(whole);
});
