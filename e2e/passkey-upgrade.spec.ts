import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { PASSKEY_UPGRADE_SNOOZE_MS } from "../lib/config";
import { db } from "../lib/platform/db";
import { screenshot, seedUserWithTotp, signIn } from "./helpers";
import { totp } from "./totp";
import { addVirtualAuthenticator } from "./webauthn";

// The passkey upgrade (README "Passkeys") in Chromium: after the password and an app code,
// the page first asks the browser for a passkey without a dialog (Chromium says it can;
// its virtual authenticator leaves that request open, a real browser without a password
// manager's fresh sign-in declines it), then offers the card. The rules case by case are
// tests/passkeys/upgrade.test.ts's.

async function signInWithApp(page: Page, email: string, secret: string) {
  await signIn(page, email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
}

const cardOf = (page: Page) => page.getByRole("region", { name: "Sign in faster next time" });

test("after a password and an app code My Profile offers a passkey, added from the card or put off", async ({
  page,
  browser,
}) => {
  const { user, secret } = await seedUserWithTotp({ name: "Uma Upgrade" });
  const authenticator = await addVirtualAuthenticator(page);
  await signInWithApp(page, user.email, secret);

  const card = cardOf(page);
  await expect(card).toBeVisible();
  // The silent request was made, once: the browser said it could (getClientCapabilities),
  // and the sign-in's offer is spent.
  const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
  await expect.poll(() => db.webAuthnChallenge.count({ where: { sessionId: session.id, purpose: "upgrade" } })).toBe(1);
  expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).passkeyUpgradeUntil).toBeNull();
  const axe = await new AxeBuilder({ page })
    .include("#passkey-upgrade")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  await screenshot(page, "passkey-upgrade-card");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "passkey-upgrade-card-390");

  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page).toHaveURL(/twofactor=passkey-added/);
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  await expect(card).toBeHidden();
  const [held] = await authenticator.credentials();
  const stored = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
  expect(stored.credentialId).toBe(held.credentialId);
  expect(
    await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "passkey was added" } } }),
  ).toBe(1);

  // Someone else says "Not now": gone, and still gone on the next visit.
  const other = await seedUserWithTotp({ name: "Nat Later" });
  const context = await browser.newContext();
  const later = await context.newPage();
  await signInWithApp(later, other.user.email, other.secret);
  await cardOf(later).getByRole("button", { name: "Not now" }).click();
  await expect(cardOf(later)).toBeHidden();
  await later.reload();
  await expect(later.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  await expect(cardOf(later)).toBeHidden();
  const { passkeyUpgradeSnoozedUntil } = await db.user.findUniqueOrThrow({ where: { id: other.user.id } });
  expect(passkeyUpgradeSnoozedUntil!.getTime()).toBeGreaterThan(Date.now() + PASSKEY_UPGRADE_SNOOZE_MS - 60_000);
  await context.close();
});
