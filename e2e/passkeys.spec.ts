import { expect, test } from "@playwright/test";
import { createAccessToken } from "../lib/api/access-tokens";
import { db } from "../lib/platform/db";
import {
  PASSWORD,
  screenshot,
  seedAccount,
  seedUser,
  seedUserWithTotp,
  signIn,
  signInAndExpectProfile,
  signOut,
} from "./helpers";
import { totp } from "./totp";
import { addPasskey, addVirtualAuthenticator, saveRecoveryCodes } from "./webauthn";

// Passkeys and security keys (docs/security-model.md, "Passkeys and security keys") in
// Chromium with a virtual authenticator: added in My Profile, used as the second step, used
// alone, picked among other methods, renamed and removed, and required of admins. On
// PostgreSQL each request of a ceremony goes to the other instance behind the balancer, so
// a ceremony started on one finishes on the other.

test("a member adds a passkey, then signs in with password and passkey, and without a password", async ({ page }) => {
  const user = await seedUser();
  const authenticator = await addVirtualAuthenticator(page);
  await signInAndExpectProfile(page, user.email);

  await addPasskey(page, "Work laptop");
  await saveRecoveryCodes(page);
  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await expect(passkeys.getByText("Work laptop", { exact: true })).toBeVisible();
  await expect(passkeys.getByText(/Last used never/)).toBeVisible();
  await screenshot(page, "passkeys-profile");

  const [held] = await authenticator.credentials();
  const stored = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
  expect(stored).toMatchObject({ credentialId: held.credentialId, name: "Work laptop" });
  expect(stored.transports).toEqual(["internal"]);
  expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ twoFactorMethod: "passkey" });
  expect(
    await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "passkey was added" } } }),
  ).toBe(1);

  // Password, then the passkey as the second step. Nobody touches the key while the
  // password is typed, or the login page's autofill request would take it.
  await authenticator.setPresence(false);
  await signOut(page);
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await screenshot(page, "passkeys-second-step");
  await authenticator.setPresence(true);
  await page.getByRole("button", { name: "Use your passkey or security key" }).click();
  await expect(page).toHaveURL(/\/profile/);
  const verified = await db.auditEvent.findFirstOrThrow({
    where: { targetId: user.id, type: "two_factor.verified" },
    orderBy: { createdAt: "desc" },
  });
  expect(verified.data).toMatchObject({ method: "passkey" });
  // This sign-in included the password, so it starts in sudo mode: no second prompt.
  await page.goto("/profile/tokens/new");
  await expect(page.getByRole("heading", { name: "New personal access token" })).toBeVisible();

  // No email, no password: the passkey verified the person (UV), so it is both factors.
  // First through the browser's autofill (conditional UI): the login page asks at once,
  // and the key answers when touched, as when a person picks the passkey in the list.
  await authenticator.setPresence(false);
  await signOut(page);
  // Off the login page first: its autofill request, made while nobody touched the key,
  // must not answer too when presence comes back.
  await page.goto("/robots.txt");
  await authenticator.setPresence(true);
  await page.goto("/login");
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.passkey" } })).toBe(1);

  // Then with the button, in a browser without autofill for passkeys.
  await page.addInitScript(() => {
    Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: async () => false });
  });
  await authenticator.setPresence(false);
  await signOut(page);
  // A page of its own (signing out navigated within the old one, whose autofill waits).
  await page.goto("/login");
  await authenticator.setPresence(true);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/profile/);
  expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.passkey" } })).toBe(2);
  const used = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
  expect(used.lastUsedAt).not.toBeNull();
  expect(used.signCount).toBeGreaterThan(stored.signCount);

  // No password in this sign-in, so no sudo mode (README, "Sudo mode"): a sensitive
  // action asks to confirm it's you first (the passkey or the password), and then goes on.
  await page.goto("/profile/tokens/new");
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Forgot your password?" })).toBeVisible();
  await screenshot(page, "sudo-after-passkey");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "sudo-after-passkey-390");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "New personal access token" })).toBeVisible();
});

test("the second step offers the strongest method, and Try another way the others", async ({ page }) => {
  const { user, secret } = await seedUserWithTotp();
  const authenticator = await addVirtualAuthenticator(page);
  await signIn(page, user.email);
  await page.getByLabel("Authentication code").fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
  // A second method: no new recovery codes, the app stays.
  await addPasskey(page, "Phone");
  await expect(page).toHaveURL(/twofactor=passkey-added/);
  await expect(page.getByRole("list", { name: "Passkeys" }).getByText("Phone", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove authenticator app" })).toBeVisible();

  await authenticator.setPresence(false);
  await signOut(page);
  await signIn(page, user.email);
  await expect(page.getByRole("button", { name: "Use your passkey or security key" })).toBeVisible();
  const another = page.getByRole("region", { name: "Try another way" });
  await expect(another.getByRole("button", { name: "Use an authenticator app instead" })).toBeVisible();
  await expect(another.getByRole("link", { name: "Use a recovery code" })).toBeVisible();
  await screenshot(page, "passkeys-try-another-way");
  await another.getByRole("button", { name: "Use an authenticator app instead" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  // The next 30-second step: the one used above cannot be replayed.
  await page.getByLabel("Authentication code").fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile/);
});

test("passkeys are renamed and removed; the last method goes only through turning 2FA off", async ({ page }) => {
  const user = await seedUser();
  const laptop = await addVirtualAuthenticator(page);
  await signInAndExpectProfile(page, user.email);
  await addPasskey(page, "Old name");
  await saveRecoveryCodes(page);
  // The same authenticator twice: the server lists the keys it has, and the browser says so.
  await addPasskey(page, "Same again");
  await expect(page.getByText("This passkey or security key is already registered to your account.")).toBeVisible();
  await laptop.remove();
  await addVirtualAuthenticator(page, { transport: "usb" });
  await addPasskey(page, "Second key");
  await expect(page).toHaveURL(/twofactor=passkey-added/);
  expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(2);

  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await passkeys.getByRole("button", { name: "Rename passkey Old name" }).click();
  await page.getByLabel("New name").fill("   ");
  await passkeys.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Give the passkey a name of up to 64 characters.")).toBeVisible();
  await page.getByLabel("New name").fill("YubiKey 5");
  await passkeys.getByRole("button", { name: "Save" }).click();
  await expect(passkeys.getByText("YubiKey 5", { exact: true })).toBeVisible();
  expect(await db.webAuthnCredential.count({ where: { userId: user.id, name: "YubiKey 5" } })).toBe(1);

  await passkeys.getByRole("button", { name: "Remove passkey Second key" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("That sign-in method was removed.")).toBeVisible();
  await expect(passkeys.getByText("Second key", { exact: true })).toHaveCount(0);
  expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(1);

  // The last one: removing it is turning 2FA off, on its own page with the password.
  await passkeys.getByRole("button", { name: "Remove passkey YubiKey 5" }).click();
  const dialog = page.getByRole("dialog", { name: "Turn off two-factor authentication?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/profile\/two-factor\/disable/);
  expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(1);
});

test("a security key without PIN is a second factor, never a whole sign-in", async ({ page }) => {
  const user = await seedUser();
  const authenticator = await addVirtualAuthenticator(page, { pinless: true, transport: "usb" });
  await signInAndExpectProfile(page, user.email);
  await addPasskey(page, "Plain key");
  await saveRecoveryCodes(page);

  await authenticator.setPresence(false);
  await signOut(page);
  await authenticator.setPresence(true);
  // It made a key the server must name (no PIN, so not discoverable): nothing for the
  // browser to offer without an account. (A discoverable key without user verification
  // is refused by the server: tests/sign-in/passwordless.test.ts.)
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "didn't use a passkey" })).toBeVisible();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.passkey" } })).toBe(0);

  await authenticator.setPresence(false);
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await authenticator.setPresence(true);
  await page.getByRole("button", { name: "Use your passkey or security key" }).click();
  await expect(page).toHaveURL(/\/profile/);
});

test("an account requiring passkeys of admins sends an admin without one to add it", async ({ page }) => {
  const account = await seedAccount("Initech");
  const admin = await seedUser({ role: "ADMIN", accountId: account.id });
  const { user, secret } = await seedUserWithTotp({ role: "ADMIN", accountId: account.id });
  await db.account.update({
    where: { id: account.id },
    data: { requirePasskey: "admins", requirePasskeySince: new Date(), enforceGraceDays: 0 },
  });
  const authenticator = await addVirtualAuthenticator(page);

  // An admin with only an app: overdue at once, so only enrolment is open.
  await signIn(page, user.email);
  await page.getByLabel("Authentication code").fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/profile\/two-factor\/setup\?required=1&method=passkey/);
  await expect(page.getByText(`${account.name} requires a passkey or security key`)).toBeVisible();
  await page.goto("/account/users");
  await expect(page).toHaveURL(/\/profile\/two-factor\/setup/);
  await screenshot(page, "passkeys-required");

  await addPasskey(page, "Admin key");
  await expect(page).toHaveURL(/twofactor=passkey-added/);
  await page.goto("/account/users");
  await expect(page).toHaveURL(/\/account\/users/);
  await expect(page.getByText(`${account.name} requires a passkey`)).toHaveCount(0);

  // The admin who set it sees it in Account settings, and cannot require it while not allowed.
  await authenticator.setPresence(false);
  await signOut(page);
  await signIn(page, admin.email);
  await expect(page).toHaveURL(/\/profile\/two-factor\/setup/);
  await authenticator.setPresence(true);
  await addPasskey(page, "Ada's key");
  await saveRecoveryCodes(page);
  await page.goto("/account");
  await expect(page.getByRole("radio", { name: /Owners and administrators/ })).toBeChecked();
  await page.getByRole("checkbox", { name: "Passkey or security key" }).uncheck();
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(
    page.getByText("To require passkeys, allow “Passkey or security key” among the methods too."),
  ).toBeVisible();
  expect((await db.account.findUniqueOrThrow({ where: { id: account.id } })).allowedMethods).toContain("passkey");
});

test("the API lists a user's methods and sends a passkey-only user to personal access tokens", async ({
  page,
  request,
}) => {
  const user = await seedUser();
  await addVirtualAuthenticator(page);
  await signInAndExpectProfile(page, user.email);
  await addPasskey(page, "Only key");
  await saveRecoveryCodes(page);

  const signInResponse = await request.post("/api/v1/auth/sign-in", {
    data: { email: user.email, password: PASSWORD },
  });
  expect(signInResponse.status()).toBe(403);
  expect((await signInResponse.json()).error).toMatchObject({
    code: "passkey_only",
    message: expect.stringContaining("personal access token"),
  });

  // A personal access token works, and /me names the methods.
  const created = await createAccessToken({
    userId: user.id,
    name: "CI",
    scopes: ["read"],
    expiresInDays: 7,
    request: { ip: "127.0.0.1", userAgent: "test" },
  });
  if (!created.ok) throw new Error(created.error);
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${created.token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).two_factor).toEqual({ method: "passkey", methods: ["passkey"], passkeys: 1, exempt: false });
});
