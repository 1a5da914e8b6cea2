import { expect, type Page, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { adminOf, screenshot, seedAccount, seedUser, signInAndExpectProfile, signOut } from "./helpers";
import { addPasskey, addVirtualAuthenticator, saveRecoveryCodes } from "./webauthn";

// Passkey providers and the Signal API (README "Passkeys") in Chromium with a virtual
// authenticator: each passkey shows who holds it, in My Profile and on the admin's user
// page, and the pages tell the browser which passkeys still work and whose they are.

type Signal = { name: string; options: Record<string, unknown> };

// Observes the browser's own Signal API: each call the page makes is recorded, then passed
// on to Chromium unchanged. Recorded in the test, so that navigations lose nothing.
async function recordSignals(page: Page) {
  const calls: Signal[] = [];
  await page.exposeFunction("__recordPasskeySignal", (call: Signal) => calls.push(call));
  await page.addInitScript(() => {
    const record = (window as unknown as { __recordPasskeySignal: (call: unknown) => void }).__recordPasskeySignal;
    const api = PublicKeyCredential as unknown as Record<string, unknown>;
    for (const name of ["signalUnknownCredential", "signalAllAcceptedCredentials", "signalCurrentUserDetails"]) {
      const original = api[name];
      if (typeof original !== "function") continue;
      api[name] = function (this: unknown, options: unknown) {
        record({ name, options: JSON.parse(JSON.stringify(options)) });
        return original.call(this, options);
      };
    }
  });
  const last = (name: string) => calls.filter((call) => call.name === name).at(-1)?.options;
  return { calls, last };
}

test("a passkey added without a name is named after its provider, shown in My Profile and to the admin", async ({
  page,
  browser,
}) => {
  const account = await seedAccount("Hooli");
  const user = await seedUser({ accountId: account.id, name: "Pia Provider" });
  await addVirtualAuthenticator(page);
  await signInAndExpectProfile(page, user.email);

  await addPasskey(page, "");
  await saveRecoveryCodes(page);
  const stored = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
  // Chromium's virtual authenticator reports an AAGUID of its own, which no list names.
  expect(stored.aaguid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(stored.name).toBe("Unknown provider");
  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await expect(passkeys.getByText(/^Unknown provider · Added/)).toBeVisible();

  // Renamed, it keeps its provider beside the user's own name.
  await passkeys.getByRole("button", { name: "Rename passkey Unknown provider" }).click();
  await page.getByLabel("New name").fill("Desk laptop");
  await passkeys.getByRole("button", { name: "Save" }).click();
  await expect(passkeys.getByText("Desk laptop", { exact: true })).toBeVisible();
  await expect(passkeys.getByText(/^Unknown provider · Added/)).toBeVisible();

  // A passkey kept in Apple Passwords (its AAGUID as the browser would report it).
  await db.webAuthnCredential.update({
    where: { id: stored.id },
    data: { aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd" },
  });
  await page.reload();
  await expect(passkeys.getByText(/^Apple Passwords · Added/)).toBeVisible();
  await screenshot(page, "passkey-provider-profile");

  const { page: adminPage } = await adminOf(browser, account.id);
  await adminPage.goto(`/account/users/${user.id}`);
  const theirs = adminPage.getByRole("list", { name: "Their passkeys" });
  await expect(theirs.getByText("Desk laptop", { exact: true })).toBeVisible();
  await expect(theirs.getByText(/^Apple Passwords · Added .* · Last used never/)).toBeVisible();
  await screenshot(adminPage, "passkey-provider-admin");
  await adminPage.setViewportSize({ width: 390, height: 844 });
  await screenshot(adminPage, "passkey-provider-admin-390");
  await adminPage.close();
});

test("the pages tell the browser which passkeys still work, whose they are, and which to forget", async ({ page }) => {
  const user = await seedUser({ name: "Sam Signal" });
  const handle = Buffer.from(user.id).toString("base64url");
  const signals = await recordSignals(page);
  const laptop = await addVirtualAuthenticator(page);
  await signInAndExpectProfile(page, user.email);
  // Chromium has the Signal API itself: nothing here stands in for it.
  expect(await page.evaluate(() => "signalAllAcceptedCredentials" in PublicKeyCredential)).toBe(true);

  // My Profile's load, with no passkey yet, then with one.
  await expect
    .poll(() => signals.last("signalAllAcceptedCredentials"))
    .toEqual({
      rpId: "localhost",
      userId: handle,
      allAcceptedCredentialIds: [],
    });
  await expect
    .poll(() => signals.last("signalCurrentUserDetails"))
    .toEqual({
      rpId: "localhost",
      userId: handle,
      name: user.email,
      displayName: "Sam Signal",
    });
  await addPasskey(page, "Laptop");
  await saveRecoveryCodes(page);
  const [kept] = await laptop.credentials();
  await expect
    .poll(() => signals.last("signalAllAcceptedCredentials"))
    .toEqual({ rpId: "localhost", userId: handle, allAcceptedCredentialIds: [kept.credentialId] });

  // A second passkey on a security key, then removed: the browser hears only the first.
  await laptop.setPresence(false);
  const key = await addVirtualAuthenticator(page, { transport: "usb" });
  await addPasskey(page, "Key");
  await expect(page).toHaveURL(/twofactor=passkey-added/);
  const [removed] = await key.credentials();
  await expect
    .poll(() => signals.last("signalAllAcceptedCredentials"))
    .toEqual({
      rpId: "localhost",
      userId: handle,
      allAcceptedCredentialIds: [kept.credentialId, removed.credentialId],
    });
  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await passkeys.getByRole("button", { name: "Remove passkey Key" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("That sign-in method was removed.")).toBeVisible();
  await expect
    .poll(() => signals.last("signalAllAcceptedCredentials"))
    .toEqual({ rpId: "localhost", userId: handle, allAcceptedCredentialIds: [kept.credentialId] });
  // Chromium acts on it: the security key no longer offers the removed passkey.
  await expect.poll(() => key.credentials()).toEqual([]);
  expect(await laptop.credentials()).toHaveLength(1);
  await key.unplug();

  // A new name: the browser hears it without a reload.
  await page.getByLabel("Name", { exact: true }).fill("Samantha Signal");
  await page.locator("#details").getByRole("button", { name: "Save" }).click();
  await expect
    .poll(() => signals.last("signalCurrentUserDetails"))
    .toEqual({ rpId: "localhost", userId: handle, name: user.email, displayName: "Samantha Signal" });

  // The laptop's passkey removed on the server only (as by an admin's Reset 2FA): the login
  // page's passkey autofill offers it, is told it is unknown, and tells the browser, which
  // forgets it. Off the login page first, so that only a fresh autofill request answers.
  await db.webAuthnCredential.deleteMany({ where: { userId: user.id } });
  await signOut(page);
  await page.goto("/robots.txt");
  await laptop.setPresence(true);
  await page.goto("/login");
  await expect(page.getByRole("alert").filter({ hasText: "That passkey is not registered here" })).toBeVisible();
  await expect
    .poll(() => signals.last("signalUnknownCredential"))
    .toEqual({ rpId: "localhost", credentialId: kept.credentialId });
  await expect.poll(() => laptop.credentials()).toEqual([]);
  await expect(page).toHaveURL(/\/login/);
  expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
});
