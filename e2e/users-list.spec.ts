import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { createAccessToken } from "../lib/api/access-tokens";
import { db } from "../lib/platform/db";
import { screenshot, seedAccount, seedUser, signInAndExpectProfile } from "./helpers";

test("an admin searches the users, filters them by method and pages past 50", async ({ page }) => {
  const account = await seedAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  await db.user.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      accountId: account.id,
      name: `Person ${String(i).padStart(2, "0")}`,
      email: `person-${i}-${crypto.randomBytes(4).toString("hex")}@acme.test`,
    })),
  });
  const grace = await seedUser({ accountId: account.id, name: "Grace Hopper" });
  await db.totpCredential.create({ data: { userId: grace.id, encryptedSecret: "sealed" } });
  await db.webAuthnCredential.create({
    data: {
      userId: grace.id,
      credentialId: crypto.randomUUID(),
      publicKey: "key",
      name: "Laptop",
      deviceType: "multiDevice",
    },
  });
  const sam = await seedUser({ accountId: account.id, name: "Sam Texts" });
  await db.user.update({
    where: { id: sam.id },
    data: { phone: "+447700900123", smsEnabledAt: new Date(), twoFactorMethod: "sms" },
  });

  await signInAndExpectProfile(page, admin.email);
  await page.goto("/account/users");
  await expect(page.getByText("63 people.")).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  // Ada, Grace and Person 00–47 on the first page; Person 48–59 and Sam on the second.
  await expect(rows).toHaveCount(1 + 50);
  await expect(rows.filter({ hasText: "Grace Hopper" }).getByText("Passkey, App")).toBeVisible();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(rows).toHaveCount(1 + 13);
  await expect(rows.filter({ hasText: "Sam Texts" }).getByText("SMS", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Next" })).toHaveCount(0);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(rows).toHaveCount(1 + 50);
  await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);

  // Search ignores case, in names and emails.
  await page.getByLabel("Search users").fill("GRACE");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("1 person matches the search.")).toBeVisible();
  await expect(rows.filter({ hasText: "Grace Hopper" })).toHaveCount(1);
  await page.getByLabel("Search users").fill(sam.email.toUpperCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(rows.filter({ hasText: "Sam Texts" })).toHaveCount(1);
  await expect(rows).toHaveCount(2);

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page.getByText("63 people.")).toBeVisible();
  await expect(page.getByLabel("Search users")).toHaveValue("");
  await page.getByLabel("Method").selectOption({ label: "Passkey or security key" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("1 person matches the search.")).toBeVisible();
  await expect(rows.filter({ hasText: "Grace Hopper" })).toHaveCount(1);
  await page.getByLabel("Method").selectOption({ label: "No second factor" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("61 people match the search.")).toBeVisible();
  await expect(rows.filter({ hasText: "Grace Hopper" })).toHaveCount(0);
  await page.getByLabel("Search users").fill("person 5");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("10 people match the search.")).toBeVisible();
  await expect(page.getByLabel("Method")).toHaveValue("none");
  await screenshot(page, "users-search");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "users-search-mobile");

  // The API gives everyone, past any page, with each user's methods.
  const token = await createAccessToken({
    userId: admin.id,
    name: "listing",
    scopes: ["read", "admin"],
    expiresInDays: 1,
    request: { ip: "127.0.0.1", userAgent: "e2e" },
  });
  if (!token.ok) throw new Error(token.error);
  const response = await page.request.get("/api/v1/account/users", {
    headers: { authorization: `Bearer ${token.token}` },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { users: { id: string; two_factor: string; methods: string[] }[] };
  expect(body.users).toHaveLength(63);
  expect(body.users.find((u) => u.id === grace.id)).toMatchObject({ methods: ["passkey", "app"] });
  expect(body.users.find((u) => u.id === sam.id)).toMatchObject({ two_factor: "sms", methods: ["sms"] });
});
