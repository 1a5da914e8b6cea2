import { expect, type Page, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { lastSentCode, PASSWORD, screenshot, seedAccount, seedUser, signInAndExpectProfile } from "./helpers";

// A browser in Britain: its language names the country the selector starts on.
test.use({ locale: "en-GB" });

async function smsOnlyAccount() {
  return seedAccount().then((account) =>
    db.account.update({ where: { id: account.id }, data: { allowedMethods: ["sms", "email"] } }),
  );
}

async function saveRecoveryCodes(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(10);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await dialog.getByRole("button", { name: "Copy" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
}

test("a member picks a country, types the number as dialled there, and My Profile shows it masked", async ({
  page,
}) => {
  const account = await smsOnlyAccount();
  const member = await seedUser({ accountId: account.id, name: "Fleur Français" });
  await signInAndExpectProfile(page, member.email);
  await page.getByRole("link", { name: "Add text message codes" }).click();
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  await expect(page.getByLabel("Country")).toHaveValue("GB");

  // Too short for France: refused, nothing sent, and both fields keep what was chosen.
  await page.getByLabel("Country").selectOption({ label: "+33 France" });
  await page.getByLabel("Mobile phone number").fill("06 12 34");
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText("That is not a mobile number we can text.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Country")).toHaveValue("FR");
  await expect(page.getByLabel("Mobile phone number")).toHaveValue("06 12 34");
  expect(await db.outboundMessage.count({ where: { userId: member.id, channel: "sms" } })).toBe(0);
  await screenshot(page, "phone-input-error");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "phone-input-error-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByLabel("Mobile phone number").fill("06 12 34 56 78");
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText("We sent a 6-digit code by text message to +33612345678.")).toBeVisible();
  await page.getByLabel("Verification code").fill(await lastSentCode("+33612345678"));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await saveRecoveryCodes(page);

  await expect(page.getByText("Codes texted to +33 • •• •• •6 78.", { exact: false })).toBeVisible();
  await expect(page.getByText("612345678")).toHaveCount(0);
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBe("+33612345678");
  await screenshot(page, "profile-phone-masked");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "profile-phone-masked-mobile");
});

test("an admin sets a user's SMS number as it is dialled in its country, and sees it again masked", async ({
  page,
}) => {
  const account = await smsOnlyAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Uma User" });
  await signInAndExpectProfile(page, admin.email);
  await page.goto(`/account/users/${member.id}`);
  await page.getByLabel("Authentication by SMS").check();
  await expect(page.getByLabel("Country")).toHaveValue("GB");
  await page.getByLabel("Phone number").fill("07700 900789");
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("Two-factor preference saved.")).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBe("+447700900789");

  // Shown as My Profile shows it: masked, its country chosen, the field left for a new one.
  await page.reload();
  await expect(page.getByLabel("Country")).toHaveValue("GB");
  await expect(page.getByText("Their number is +44 •••• •••789", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Phone number")).toHaveValue("");
  await page.getByLabel("Country").selectOption({ label: "+1 United States" });
  await page.getByLabel("Phone number").fill("(202) 555-0123");
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("Two-factor preference saved.")).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBe("+12025550123");
  await page.reload();
  await expect(page.getByLabel("Country")).toHaveValue("US");
  await expect(page.getByText("Their number is +1 ••• ••• •123", { exact: false })).toBeVisible();
  await expect(page.getByText("555-0123")).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "admin-phone-mobile");
});

// The chosen country read "+44 United Kingdo": the select, beside the number, was
// narrower than its option. Whether a select shows its option whole is measured against
// a copy of it sized to that option alone.
async function showsChosenCountryWhole(page: Page) {
  const country = page.getByLabel("Country");
  return country.evaluate((select: HTMLSelectElement) => {
    const probe = select.cloneNode(false) as HTMLSelectElement;
    probe.append(new Option(select.selectedOptions[0].text));
    probe.style.width = "auto";
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const shown = select.getBoundingClientRect();
    return { needed, width: shown.width, inView: shown.right <= document.documentElement.clientWidth };
  });
}

test("the country list shows the chosen country whole, on a desktop and on a phone", async ({ page }) => {
  const account = await smsOnlyAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Uma User" });
  await signInAndExpectProfile(page, admin.email);
  await page.goto(`/account/users/${member.id}`);
  await page.getByLabel("Authentication by SMS").check();
  await page.getByLabel("Country").selectOption({ label: "+44 United Kingdom" });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    const shown = await showsChosenCountryWhole(page);
    expect(shown.width, `at ${width} px`).toBeGreaterThanOrEqual(shown.needed);
    expect(shown.inView, `at ${width} px`).toBe(true);
    await screenshot(page, `phone-country-admin-${width}`);
  }

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto("/profile/two-factor/setup?method=sms");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Your mobile number" })).toBeVisible();
  await expect(page.getByLabel("Country")).toHaveValue("GB");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    const shown = await showsChosenCountryWhole(page);
    expect(shown.width, `at ${width} px`).toBeGreaterThanOrEqual(shown.needed);
    expect(shown.inView, `at ${width} px`).toBe(true);
    await screenshot(page, `phone-country-setup-${width}`);
  }
});
