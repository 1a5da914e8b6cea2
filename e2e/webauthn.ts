import { expect, type Page } from "@playwright/test";
import { PASSWORD } from "./helpers";

// The protocol sends bytes as base64; the app and the database spell them base64url.
const base64url = (base64: string) => Buffer.from(base64, "base64").toString("base64url");

// A passkey authenticator inside Chromium, through the DevTools protocol's WebAuthn
// domain: the page's navigator.credentials calls reach it as they would a real
// platform authenticator or security key, and the test can read what it holds.
export async function addVirtualAuthenticator(
  page: Page,
  // pinless: a security key that can't verify the user (no PIN or biometric).
  options: { userVerification?: boolean; transport?: "internal" | "usb"; pinless?: boolean } = {},
) {
  const client = await page.context().newCDPSession(page);
  await client.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await client.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: options.transport ?? "internal",
      // A key without a PIN is the classic security key: it keeps no passkeys of its own.
      hasResidentKey: !options.pinless,
      hasUserVerification: !options.pinless,
      isUserVerified: !options.pinless && (options.userVerification ?? true),
      // Touches the key for the user, so prompts complete without a click.
      automaticPresenceSimulation: true,
    },
  });

  return {
    authenticatorId,
    // Ids and user handles in base64url, as WebAuthnCredential.credentialId stores them.
    async credentials(): Promise<
      Array<{ credentialId: string; isResidentCredential: boolean; userHandle?: string; signCount: number }>
    > {
      const { credentials } = await client.send("WebAuthn.getCredentials", { authenticatorId });
      return credentials.map(({ credentialId, isResidentCredential, userHandle, signCount }) => ({
        credentialId: base64url(credentialId),
        isResidentCredential,
        userHandle: userHandle === undefined ? undefined : base64url(userHandle),
        signCount,
      }));
    },
    // false: the next fingerprint or PIN fails, and the browser refuses the ceremony
    // (NotAllowedError) rather than answer without the UV flag.
    async setUserVerified(isUserVerified: boolean): Promise<void> {
      await client.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
    },
    // Off: nobody touches the key, so a pending request (the login page's autofill) waits
    // instead of signing in at once; on again before a ceremony the test wants to finish.
    async setPresence(present: boolean): Promise<void> {
      await client.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: present });
    },
    // Unplugged while the page's other authenticators stay: its DevTools session is kept,
    // since closing it ends the browser's whole virtual environment.
    async unplug(): Promise<void> {
      await client.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    },
    async remove(): Promise<void> {
      await client.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
      await client.detach();
    },
  };
}

// My Profile → Add a passkey: the password (sudo mode), then the browser makes one.
export async function addPasskey(page: Page, name: string) {
  await page.goto("/profile/two-factor/setup?method=passkey");
  const password = page.getByLabel("Current password");
  if (await password.isVisible()) {
    await password.fill(PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page.getByRole("heading", { name: /Add a passkey or security key/ })).toBeVisible();
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Add passkey" }).click();
}

// The recovery-codes dialog a first method comes with: saved, then closed.
export async function saveRecoveryCodes(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("checkbox").check();
  await dialog.getByRole("button", { name: /Done|Continue/ }).click();
  await expect(page).toHaveURL(/\/profile/);
}
