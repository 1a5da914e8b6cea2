import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { PASSWORD, screenshot, seedUser, signIn, signInAndExpectProfile, signOut } from "./helpers";
import { totp } from "./totp";

async function readSecret(page: Page) {
  const shown = await page.getByLabel("Setup key").innerText();
  // The key is shown in groups of four for reading aloud or typing.
  expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  return shown.replace(/\s/g, "");
}

async function decodeQr(page: Page) {
  const image = await page.getByRole("img", { name: /QR code to add / }).screenshot();
  const png = PNG.sync.read(image);
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, "the QR code decodes").not.toBeNull();
  return decoded!.data;
}

// A code the app will still accept: its step must come after the last one used.
async function freshCode(userId: string, secret: string) {
  for (;;) {
    const { lastUsedStep } = await db.totpCredential.findUniqueOrThrow({ where: { userId } });
    const now = Math.floor(Date.now() / 30_000);
    const offset = [-1, 0, 1].find((o) => now + o > lastUsedStep);
    if (offset !== undefined) return totp(secret, Date.now(), offset);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("enable with the app, save codes, sign in with a code and a recovery code, regenerate, disable", async ({
  page,
}) => {
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);

  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Step 1 of 3: Confirm your password" })).toBeVisible();
  await page.getByLabel("Current password").fill("not my password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("That password is incorrect.")).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();
  const secret = await readSecret(page);
  expect(secret).toHaveLength(32); // 160 bits in base32
  const uri = new URL(await decodeQr(page));
  expect(uri.protocol).toBe("otpauth:");
  expect(uri.host).toBe("totp");
  expect(decodeURIComponent(uri.pathname)).toBe(`/Acme Corp:${user.email}`);
  expect(uri.searchParams.get("secret")).toBe(secret);
  expect(uri.searchParams.get("issuer")).toBe("Acme Corp");
  expect(uri.searchParams.get("algorithm") ?? "SHA1").toBe("SHA1");
  expect(uri.searchParams.get("digits") ?? "6").toBe("6");
  expect(uri.searchParams.get("period") ?? "30").toBe("30");
  await expect(
    page.getByText("Make sure your phone's date and time are set automatically.", { exact: false }),
  ).toBeAttached();
  // Every text names the entry as the QR code does: by its issuer, the account's name.
  await expect(
    page.getByRole("img", { name: `QR code to add Acme Corp (${user.email}) to an authenticator app` }),
  ).toBeVisible();
  await expect(page.getByText(`The app lists it as Acme Corp (${user.email}).`, { exact: false })).toBeVisible();
  await expect(page.getByText("Use the entry for Acme Corp with your email address", { exact: false })).toBeAttached();
  await screenshot(page, "totp-setup");

  // Not active until confirmed.
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();
  await page.getByLabel("Authentication code").fill(String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, "0"));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText("That code is not valid.", { exact: false })).toBeVisible();

  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog).toBeVisible();
  const codes = (await dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allInnerTexts()).map(
    (c) => c.trim(),
  );
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  await expect(dialog.getByRole("button", { name: "Done" })).toBeDisabled();
  await expect(dialog.getByRole("checkbox", { name: "I've saved these codes" })).not.toBeChecked();
  await screenshot(page, "recovery-codes-dialog");

  const downloadPromise = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("strongsign-recovery-codes.txt");
  const file = fs.readFileSync(await download.path(), "utf8");
  for (const code of codes) expect(file).toContain(code);
  await expect(dialog.getByRole("checkbox", { name: "I've saved these codes" })).toBeChecked();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("Two-factor authentication is on.", { exact: false })).toBeVisible();
  await expect(page.getByText("10 left.")).toBeVisible();
  await screenshot(page, "profile-two-factor-on");

  // Sign in with the app. The next step's code is used so it cannot be a replay of the
  // code that confirmed the setup (and it exercises the drift window).
  await signOut(page);
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByText("Open your authenticator app and enter the 6-digit code for Acme Corp.")).toBeVisible();
  await expect(page.getByText("Use the entry for Acme Corp with your email address", { exact: false })).toBeAttached();
  await enterCode(page, totp(secret, Date.now(), 1));
  await expect(page).toHaveURL(/\/profile/);

  // Sign in with a recovery code, typed in upper case without dashes.
  await signOut(page);
  await signIn(page, user.email);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[0].replace(/-/g, "").toUpperCase());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(
    page.getByText("You signed in with a recovery code. 9 recovery codes left.", { exact: false }),
  ).toBeVisible();
  const mail = await db.outboundMessage.findFirst({
    where: { to: user.email, subject: { contains: "recovery code" } },
    orderBy: { createdAt: "desc" },
  });
  expect(mail && readMessageBody(mail)).toContain("9");

  await page.getByRole("link", { name: "View recovery codes" }).click();
  await expect(page.getByRole("heading", { name: "9 of 10 codes left" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: codes[0] })).toHaveText(`${codes[0]} (used)`);
  await expect(page.getByRole("listitem").filter({ hasText: codes[0] })).toHaveCSS(
    "text-decoration-line",
    "line-through",
  );

  await page.getByRole("button", { name: "Generate new codes" }).click();
  const confirm = page.getByRole("dialog", { name: "Generate new recovery codes?" });
  await confirm.getByRole("button", { name: "Generate new codes" }).click();
  const fresh = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(fresh).toBeVisible();
  const newCodes = (
    await fresh.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allInnerTexts()
  ).map((c) => c.trim());
  expect(newCodes).toHaveLength(10);
  expect(newCodes.some((c) => codes.includes(c))).toBe(false);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await fresh.getByRole("button", { name: "Copy" }).click();
  await expect(fresh.getByRole("checkbox", { name: "I've saved these codes" })).toBeChecked();
  await fresh.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("heading", { name: "10 of 10 codes left" })).toBeVisible();

  // The old set is dead at once.
  await signOut(page);
  await signIn(page, user.email);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[1]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "That recovery code is not valid or was already used. Check it and try again.",
  );
  await page.getByLabel("Recovery code").fill(newCodes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);

  // Disable: confirmation, then password and a current code.
  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await page
    .getByRole("dialog", { name: "Disable two-factor authentication?" })
    .getByRole("link", { name: "Continue" })
    .click();
  // My Profile has a "Current password" field too: wait until the disable page is shown.
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await expect(page.getByText("That code is not valid.", { exact: false })).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("Authentication code").fill(await freshCode(user.id, secret));
  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await expect(page.getByText("Two-factor authentication is off.", { exact: false })).toBeVisible();
  expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(0);
  expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  await signOut(page);
  await signInAndExpectProfile(page, user.email);
});

// On a phone the QR code cannot be scanned by the phone showing it: the page offers the
// same otpauth:// URI as a link, keeps the QR code centred, and wraps the setup key
// between groups of four only.
test("setting up the app on a phone: centred QR code, an app link, the key wrapping between groups", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);
  await page.goto("/profile/two-factor/setup?method=totp");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" })).toBeVisible();

  const link = page.getByRole("link", { name: "Open in authenticator app" });
  await expect(link).toBeVisible();
  const uri = await decodeQr(page);
  expect(await link.getAttribute("href")).toBe(uri);
  // The secret is in the page, as the QR code already is, but never in our own URL.
  expect(page.url()).not.toContain(new URL(uri).searchParams.get("secret"));

  const card = page.locator("section", { has: page.getByRole("heading", { name: "Step 2 of 3: Scan the QR code" }) });
  const qr = (await page.getByRole("img", { name: /QR code to add / }).boundingBox())!;
  const box = (await card.boundingBox())!;
  expect(Math.abs(qr.x + qr.width / 2 - (box.x + box.width / 2))).toBeLessThan(3);

  // Each group of four sits on one line: a group broken across lines would have two boxes.
  const key = page.getByLabel("Setup key");
  const lines = await key.evaluate((code) => {
    const groups = [...code.querySelectorAll("span")];
    return {
      broken: groups.filter((group) => group.getClientRects().length !== 1).length,
      tops: new Set(groups.map((group) => Math.round(group.getBoundingClientRect().top))).size,
      count: groups.length,
    };
  });
  expect(lines.count).toBe(8);
  expect(lines.broken).toBe(0);
  expect(lines.tops).toBeGreaterThan(1); // it does wrap at this width, between groups
  await screenshot(page, "totp-setup-phone");

  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(link).toBeHidden();
  await screenshot(page, "totp-setup-desktop");
  await context.close();
});
