import { expect, type Page, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { lastSentCode, PASSWORD, screenshot, seedSmsUser, seedUserWithTotp, signIn } from "./helpers";
import { totp } from "./totp";

// Issue 16, point 8: the moment a second step stops accepting codes, the person is told
// so where it happens, from what the server recorded: a sign-in that has used up its
// texted codes, or a lock, with its end in their own time, whether an email went out,
// and that a recovery code does not get round it. They used to land on /login with
// "Your sign-in took too long", which sent them back into the lock to find out.

const ZONE = "Asia/Kolkata";
test.use({ timezoneId: ZONE, locale: "en-GB" });

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function submit(page: Page, label: string, code: string) {
  await page.getByLabel(label).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

const alert = (page: Page) => page.getByRole("main").getByRole("alert");
const INVALID_SMS = "That code is not valid. Check your texts for the newest code and try again.";

test("a texted code: the rule is said first, each wrong code says how many are left, the fifth ends the sign-in there", async ({
  page,
}) => {
  const { user, phone } = await seedSmsUser();
  await signIn(page, user.email);
  await expect(page.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
  await expect(
    page.getByText("You can try 5 codes in this sign-in. Resending a code doesn't add more.", { exact: false }),
  ).toBeVisible();
  const wrong = wrongFor(await lastSentCode(phone));
  for (const left of [4, 3, 2, 1]) {
    await submit(page, "Sign-in code", wrong);
    await expect(alert(page)).toHaveText(
      `${INVALID_SMS} ${left} ${left === 1 ? "try" : "tries"} left in this sign-in.`,
    );
    if (left === 4) await screenshot(page, "second-step-sms-tries-left");
  }
  await submit(page, "Sign-in code", wrong);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(alert(page)).toHaveText(
    "That was the 5th wrong code, so this sign-in has ended. Sign in again with your password and we'll send a new code.",
  );
  await expect(page.getByText("took too long")).toHaveCount(0);
  await expect(page.getByLabel("Sign-in code")).toHaveCount(0);
  await screenshot(page, "second-step-codes-used-up");
  await page.getByRole("link", { name: "Sign in again" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(5);
});

test("the tenth wrong code shows the lock at once: until when in local time, the email, what still works", async ({
  page,
}) => {
  const { user, phone } = await seedSmsUser();
  // Two sign-ins of five wrong texted codes each: the tenth is also the fifth of its
  // sign-in. Each refusal names the limit that comes first: the sign-in's five, then,
  // with three attempts left, the lock.
  const left = [
    // The first sign-in: its own five.
    "4 tries left in this sign-in.",
    "3 tries left in this sign-in.",
    "2 tries left in this sign-in.",
    "1 try left in this sign-in.",
    // The second: once three attempts remain before the lock, the lock comes first.
    "4 tries left in this sign-in.",
    "3 attempts left before two-factor sign-in is locked for 15 minutes.",
    "2 attempts left before two-factor sign-in is locked for 15 minutes.",
    "1 attempt left before two-factor sign-in is locked for 15 minutes.",
  ];
  for (let round = 0; round < 2; round++) {
    await signIn(page, user.email);
    await expect(page.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
    const wrong = wrongFor(await lastSentCode(phone));
    for (let i = 0; i < 5; i++) {
      await submit(page, "Sign-in code", wrong);
      if (i < 4) await expect(alert(page)).toHaveText(`${INVALID_SMS} ${left[round * 4 + i]}`);
    }
    if (round === 0) await expect(alert(page)).toContainText("this sign-in has ended");
  }
  await expect(alert(page)).toContainText("Too many failed attempts in a row");
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  const { secondFactorLockedUntil: until } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  expect(until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  const local = until!.toLocaleTimeString("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
  await expect(alert(page)).toContainText(
    `Too many failed attempts in a row, so two-factor sign-in is locked until ${local} (in 15 minutes).`,
  );
  await expect(alert(page)).toContainText(
    "Until then no code is accepted, not even a recovery code or a passkey. An administrator of your organisation can unlock you sooner.",
  );
  await expect(alert(page)).toContainText("We've emailed you about it.");
  expect(await alert(page).locator("time").getAttribute("datetime")).toBe(until!.toISOString());
  await expect(page.getByText("took too long")).toHaveCount(0);
  expect(await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "locked" } } })).toBe(1);
  await screenshot(page, "second-step-locked-at-once");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "second-step-locked-at-once-phone");
});

test("few attempts left before the lock are counted from the first wrong code", async ({ page }) => {
  const { user, secret } = await seedUserWithTotp();
  await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 7 } });
  await signIn(page, user.email);
  const valid = new Set([-1, 0, 1].map((step) => totp(secret, Date.now(), step)));
  const wrong = ["000000", "111111", "222222", "333333"].find((code) => !valid.has(code))!;
  await submit(page, "Authentication code", wrong);
  await expect(alert(page)).toHaveText(
    "That code is not valid. Check your app and try again. 2 attempts left before two-factor sign-in is locked for 15 minutes.",
  );
});

// The API says the same, with the numbers and the time behind the words.
test("the API: tries left, the end of a texted sign-in, and the lock with its time", async ({ request }) => {
  const { user, phone } = await seedSmsUser();
  const start = async () => {
    const response = await request.post("/api/v1/auth/sign-in", { data: { email: user.email, password: PASSWORD } });
    expect(response.status()).toBe(200);
    return (await response.json()).challenge as string;
  };
  const verify = (challenge: string, code: string) =>
    request.post("/api/v1/auth/verify-2fa", { data: { challenge, code } });

  const challenge = await start();
  const wrong = wrongFor(await lastSentCode(phone));
  const first = await verify(challenge, wrong);
  expect(first.status()).toBe(401);
  expect((await first.json()).error).toEqual({
    code: "invalid_code",
    message:
      "That code is not valid. Check your texts for the newest code and try again. 4 tries left in this sign-in.",
    attempts_left: 9,
    sign_in_tries_left: 4,
  });
  for (let i = 0; i < 3; i++) expect((await verify(challenge, wrong)).status()).toBe(401);
  const fifth = await verify(challenge, wrong);
  expect(fifth.status()).toBe(401);
  expect((await fifth.json()).error).toEqual({
    code: "too_many_attempts",
    message:
      "That was the 5th wrong code, so this sign-in has ended. Sign in again with your password and we'll send a new code.",
  });

  await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 9 } });
  const next = await start();
  const locked = await verify(next, wrongFor(await lastSentCode(phone)));
  expect(locked.status()).toBe(429);
  const { secondFactorLockedUntil } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const { error } = await locked.json();
  expect(error).toMatchObject({ code: "locked", locked_until: secondFactorLockedUntil!.toISOString() });
  expect(error.message).toContain("not even a recovery code");
  expect(error.message).toContain("We've emailed you about it.");
  expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(14 * 60);
});

// Issue 16, point 12: someone who opened the recovery-code form by mistake, or found
// their phone after all, gets back to their own method without starting again.
test("the recovery-code page offers the way back to the user's method", async ({ page }) => {
  const { user, secret } = await seedUserWithTotp();
  await signIn(page, user.email);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await expect(page.getByLabel("Recovery code")).toBeVisible();
  const another = page.getByRole("region", { name: "Try another way" });
  await screenshot(page, "second-step-recovery-way-back");
  await another.getByRole("link", { name: "Use an authenticator app instead" }).click();
  await submit(page, "Authentication code", totp(secret));
  await expect(page).toHaveURL(/\/profile/);
});
