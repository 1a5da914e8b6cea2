import { expect, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { PASSWORD, screenshot, seedUserWithTotp, signIn } from "./helpers";
import { totp } from "./totp";

// Failed attempts so far; a lock turns the count into a lock time, so count that as done.
async function failures(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  return user.secondFactorLockedUntil ? 10 : user.failedSecondFactorCount;
}

async function submitCode(page: import("@playwright/test").Page, code: string) {
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

// Replay: a code seen over someone's shoulder (or phished) must not work a second time,
// not even from another browser in the same 30-second window.
test("a code that was just used is refused in another browser", async ({ browser }) => {
  const { user, secret } = await seedUserWithTotp();
  const code = totp(secret);
  const first = await browser.newPage();
  const second = await browser.newPage();
  await signIn(first, user.email);
  await signIn(second, user.email);
  await expect(second).toHaveURL(/\/login\/two-factor$/);
  await submitCode(first, code);
  await expect(first).toHaveURL(/\/profile/);
  await submitCode(second, code);
  await expect(second.getByRole("main").getByRole("alert")).toContainText("That code was already used.");
  await expect(second).toHaveURL(/\/login\/two-factor$/);
});

// Brute force of the 6-digit code: after 10 failures, across challenges, the second step
// locks for 15 minutes, even for the right code, and the user is told and emailed.
test("ten wrong codes lock the second step; the right code is then refused", async ({ browser }) => {
  const { user, secret } = await seedUserWithTotp();
  const pageA = await browser.newPage();
  const pageB = await browser.newPage();
  await signIn(pageA, user.email);
  await signIn(pageB, user.email);
  for (let i = 0; i < 10; i++) {
    const page = i % 2 === 0 ? pageA : pageB;
    await submitCode(page, String(100000 + i));
    await expect.poll(() => failures(user.id)).toBe(i + 1);
  }
  await expect(pageB.getByRole("main").getByRole("alert")).toContainText(
    "Too many failed attempts in a row, so two-factor sign-in is locked until",
  );
  await expect(pageB.getByRole("main").getByRole("alert")).toContainText("We've emailed you about it.");
  await submitCode(pageA, totp(secret));
  await expect(pageA.getByRole("main").getByRole("alert")).toContainText("Too many failed attempts in a row");
  await expect(pageA).toHaveURL(/\/login\/two-factor$/);

  const locked = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  expect(locked.secondFactorLockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  expect(await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "locked" } } })).toBe(1);
  expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

  // A fresh password step does not reset the lock, and says so before any code is typed.
  const pageC = await browser.newPage();
  await signIn(pageC, user.email, PASSWORD);
  await expect(pageC.getByRole("main").getByRole("alert")).toContainText(
    "Too many failed attempts in a row, so two-factor sign-in is locked until",
  );
  await expect(pageC.getByLabel("Authentication code")).toHaveCount(0);
});

test("malformed codes get a clear message and count as failures, never an error page", async ({ page }) => {
  const { user } = await seedUserWithTotp();
  await signIn(page, user.email);
  const inputs = ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "9".repeat(5000), "12 34 56'; DROP TABLE"];
  for (const input of inputs) {
    await page.getByLabel("Authentication code").evaluate((el: HTMLInputElement, value) => {
      el.removeAttribute("maxlength");
      el.value = value;
    }, input);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => failures(user.id)).toBe(inputs.indexOf(input) + 1);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(/Enter the 6-digit code|not valid/);
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  }
});

test("no session exists before the second step, and the challenge expires", async ({ page, context }) => {
  const { user } = await seedUserWithTotp();
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  expect((await context.cookies()).some((c) => c.name.endsWith("authjs.session-token"))).toBe(false);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login$/);
  // Age the challenge past its 10 minutes.
  await db.loginChallenge.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  await page.goto("/login/two-factor");
  await expect(page).toHaveURL(/\/login\?reason=expired$/);
  await expect(page.getByText("Your sign-in took too long.")).toBeVisible();
});

test("viewing recovery codes asks for the password again after 15 minutes", async ({ page }) => {
  const { user, secret } = await seedUserWithTotp();
  await signIn(page, user.email);
  await submitCode(page, totp(secret));
  await expect(page).toHaveURL(/\/profile/);
  await db.session.updateMany({ where: { userId: user.id }, data: { sudoAt: new Date(Date.now() - 16 * 60_000) } });
  await page.getByRole("link", { name: "View recovery codes" }).click();
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  // The page says what confirming is for.
  await expect(page.getByRole("heading", { name: "To view or replace your recovery codes" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "confirm-password-phone");
  await page.getByLabel("Current password").fill("wrong password!!");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("That password is incorrect.")).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "10 of 10 codes left" })).toBeVisible();
});

test("with two or fewer recovery codes left the user is urged to generate new ones", async ({ page }) => {
  const { user, recoveryCodes } = await seedUserWithTotp();
  // Seven codes already used; the sign-in below uses the eighth.
  const rows = await db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { position: "asc" } });
  await db.recoveryCode.updateMany({
    where: { id: { in: rows.slice(0, 7).map((r) => r.id) } },
    data: { usedAt: new Date() },
  });
  await signIn(page, user.email);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[7]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(
    page.getByText(
      "You signed in with a recovery code. 2 recovery codes left. Generate new codes now so you don't get locked out.",
      { exact: false },
    ),
  ).toBeVisible();
  await expect(page.getByText("2 left: generate new codes soon.")).toBeVisible();
  const mail = await db.outboundMessage.findFirstOrThrow({
    where: { to: user.email, subject: { contains: "recovery code" } },
    orderBy: { createdAt: "desc" },
  });
  expect(readMessageBody(mail)).toContain("You have 2 recovery codes left. That is very few: generate new codes");
  await page.getByRole("link", { name: "View recovery codes" }).click();
  await expect(
    page.getByText("Only 2 recovery codes left. Generate new codes so you don't get locked out."),
  ).toBeVisible();
});
