import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import {
  lastSentCode,
  PASSWORD,
  screenshot,
  seedAccount,
  seedUser,
  signIn,
  signInAndExpectProfile,
  signOut,
} from "./helpers";

// Where texts may go, from outside: an admin narrows the countries of an account that
// texts a British number; a member's British number is then refused at setup with words
// that say why and what to do, and the Briton already registered gets the sign-in code by
// email, told why. Bad input on the settings form changes nothing.

test.use({ locale: "en-GB" });

// A British mobile number of our own (the fake provider fails numbers ending 0000).
const ukMobile = () => `+4474${crypto.randomInt(10_000_000, 99_999_999)}`;

test("an admin narrows the countries; a number of another country is refused with the reason", async ({ page }) => {
  const account = await seedAccount("Textco");
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const briton = await seedUser({ accountId: account.id, name: "Bea Briton" });
  const registered = ukMobile();
  await db.user.update({
    where: { id: briton.id },
    data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone: registered, phoneVerifiedAt: new Date() },
  });
  const member = await seedUser({ accountId: account.id, name: "Max Member" });

  await signInAndExpectProfile(page, admin.email);
  await page.goto("/account/advanced");
  const where = page.getByRole("region", { name: "Where texts may go" });
  await expect(where.getByText("None chosen: texts may go to any country.")).toBeVisible();
  await expect(where.getByRole("checkbox", { name: /United Kingdom/ })).not.toBeChecked();
  await expect(where.getByText("1 number")).toBeVisible();

  // France, found and chosen with the keyboard alone.
  await where.getByLabel("Find a country").fill("fra");
  await where.getByLabel("Find a country").press("Tab");
  await expect(where.getByRole("checkbox", { name: "France +33" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(where.getByText("Only to numbers in France.")).toBeVisible();
  await where.getByLabel("Find a country").fill("");
  await expect(
    where.getByText(
      "1 registered number is in United Kingdom, not chosen: their owners will get sign-in codes by email and be asked to choose another method.",
    ),
  ).toBeVisible();

  // A cap out of bounds is refused, next to its field, and nothing is saved.
  const cap = where.getByLabel("Texts per country per hour");
  await expect(cap).toHaveValue("100");
  for (const [bad, error] of [
    ["0", "Use 1 to 10,000 texts."],
    ["2.5", "Enter a whole number."],
  ]) {
    await cap.fill(bad);
    await where.getByRole("button", { name: "Save" }).click();
    await expect(where.getByText(error)).toBeVisible();
  }
  await expect(where.getByText("Only to numbers in France.")).toBeVisible();
  await expect(where.getByRole("checkbox", { name: "France +33" })).toBeChecked();
  expect(await db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
    smsCountries: [],
    smsPerCountryPerHour: 100,
  });

  await cap.fill("20");
  await where.getByRole("button", { name: "Save" }).click();
  await expect(where.getByText("Saved.")).toBeVisible();
  await expect(where.getByRole("checkbox", { name: "France +33" })).toBeChecked();
  await expect(cap).toHaveValue("20");
  expect(await db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
    smsCountries: ["FR"],
    smsPerCountryPerHour: 20,
  });
  const event = await db.auditEvent.findFirstOrThrow({
    where: { accountId: account.id, type: "sms.countries_changed" },
  });
  expect(event).toMatchObject({
    actorId: admin.id,
    data: { countries: "FR", countriesBefore: "", perCountryPerHour: 20, perCountryPerHourBefore: 100 },
  });
  await screenshot(page, "sms-countries-settings");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "sms-countries-settings-mobile");
  await where.getByLabel("Find a country").fill("+1");
  await expect(where.getByRole("checkbox", { name: "Canada +1" })).toBeVisible();
  await screenshot(page, "sms-countries-search-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto("/account/audit");
  // The details in words, before and after.
  const row = page.getByRole("row").filter({ hasText: "Countries for text messages changed" });
  await expect(row).toContainText(
    "texts to France, were to any country · at most 20 texts an hour to each country, was 100",
  );
  await signOut(page);

  // A member's British number: refused, nothing texted, and the form keeps what was typed.
  await signInAndExpectProfile(page, member.email);
  await page.getByRole("link", { name: "Add text message codes" }).click();
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  // Only the countries the account texts are offered.
  await expect(page.getByLabel("Country").getByRole("option")).toHaveText(["Choose a country…", "+33 France"]);
  const theirs = ukMobile();
  await page.getByLabel("Mobile phone number").fill(theirs);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(
    page.getByText(
      "Your organisation doesn't send texts to numbers in United Kingdom. Use a number in France, or choose another method.",
    ),
  ).toBeVisible();
  await expect(page.getByLabel("Mobile phone number")).toHaveValue(theirs);
  expect(await db.outboundMessage.count({ where: { to: theirs } })).toBe(0);
  await screenshot(page, "sms-country-refused");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "sms-country-refused-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });
  await signOut(page);

  // The Briton already registered signs in: the code comes by email, and the page says why.
  await signIn(page, briton.email);
  await expect(
    page.getByRole("status").filter({
      hasText:
        "Your organisation no longer sends texts to your phone number's country, so we emailed the code instead. Once you're in, choose another method in My Profile.",
    }),
  ).toBeVisible();
  expect(await db.outboundMessage.count({ where: { to: registered } })).toBe(0);
  await screenshot(page, "sms-country-fallback");
  await page.getByLabel("Sign-in code").fill(await lastSentCode(briton.email));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
});
