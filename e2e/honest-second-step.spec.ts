import { expect, test } from "@playwright/test";
import { regenerateRecoveryCodes } from "../lib/factors/recovery-codes";
import { maskPhone } from "../lib/messages/phone";
import { db } from "../lib/platform/db";
import { lastSentCode, screenshot, seedSmsUser, signIn } from "./helpers";

// A forged link: the second-step page used to believe `?sent=email-fallback`, so a link
// could tell someone their code went to a mailbox it never reached (and send them
// looking there, or to a phishing "mailbox"). The page now says only what the server
// recorded on the challenge.
test("a ?sent= parameter in the URL changes nothing the page says about the code", async ({ page }) => {
  const { user, phone } = await seedSmsUser();
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await page.goto("/login/two-factor?sent=email-fallback");
  await expect(page.getByText(`We sent a 6-digit code by SMS to ${maskPhone(phone)}.`)).toBeVisible();
  await expect(page.getByText(/emailed|couldn't send/)).toHaveCount(0);
  await expect(page.getByText("No text message?")).toBeVisible();
});

// Misdirection: a refused code must send the person to where the code really is. A
// wrong texted code says "check your texts", not "check your app".
test("a wrong SMS code says to check your texts", async ({ page }) => {
  const { user, phone } = await seedSmsUser();
  await signIn(page, user.email);
  await expect(page.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
  const code = await lastSentCode(phone);
  await page.getByLabel("Sign-in code").fill(String((Number(code) + 1) % 1_000_000).padStart(6, "0"));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "That code is not valid. Check your texts for the newest code and try again. 4 tries left in this sign-in.",
  );
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(1);
});

// The same misdirection with a recovery code: an SMS user who types a wrong or
// malformed one is told about recovery codes, never about an app they do not have.
test("a wrong or malformed recovery code of an SMS user names the recovery code, not an app", async ({ page }) => {
  const { user } = await seedSmsUser();
  await regenerateRecoveryCodes({ userId: user.id, request: { ip: "127.0.0.1", userAgent: "seed" } });
  await signIn(page, user.email);
  await expect(page.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  const alert = page.getByRole("main").getByRole("alert");
  await page.getByLabel("Recovery code").fill("0000-0000-0000-0000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(alert).toHaveText("That recovery code is not valid or was already used. Check it and try again.");
  await page.getByLabel("Recovery code").fill("not a code");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(alert).toHaveText("Recovery codes look like 3f9a-0c41-b7e2-58d6: 16 letters a–f and digits.");
  await expect(page.getByText(/your app/)).toHaveCount(0);
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(2);
});

// A lock that hides itself: a locked user used to type a code, be refused, and only then
// learn of the lock, in UTC. Now the second step says at once, in the person's own time,
// when it ends and that an admin can lift it; and no text is sent that could not be used.
test.describe(() => {
  test.use({ timezoneId: "Asia/Kolkata", locale: "en-GB" });

  test("a locked user sees when the lock ends, in local time, before typing a code", async ({ page }) => {
    const { user } = await seedSmsUser();
    const until = new Date(Date.now() + 12 * 60_000);
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: until } });
    await signIn(page, user.email);
    const alert = page.getByRole("main").getByRole("alert");
    const local = until.toLocaleTimeString("en-GB", { timeZone: "Asia/Kolkata", hour: "2-digit", minute: "2-digit" });
    await expect(alert).toContainText(`two-factor sign-in is locked until ${local} (in 12 minutes).`);
    await expect(alert).toContainText("not even a recovery code or a passkey");
    await expect(alert).toContainText("An administrator of your organisation can unlock you sooner.");
    // No lock email went out for this lock (it was set directly), so none is claimed.
    await expect(alert).not.toContainText("emailed");
    expect(await alert.locator("time").getAttribute("datetime")).toBe(until.toISOString());
    await expect(page.getByLabel("Sign-in code")).toHaveCount(0);
    expect(await db.outboundMessage.count({ where: { userId: user.id } })).toBe(0);
    await screenshot(page, "second-step-locked");
  });
});
