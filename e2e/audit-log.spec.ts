import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { screenshot, seedAccount, seedUser, signInAndExpectProfile } from "./helpers";

// The reader is in New York: the days they pick are New York days, not UTC days.
test.use({ timezoneId: "America/New_York" });

async function event(data: {
  accountId: string;
  type: string;
  at: string;
  actorId?: string;
  targetId?: string;
  ip?: string;
  userAgent?: string;
  data?: object;
}) {
  const { at, ...rest } = data;
  return db.auditEvent.create({ data: { ...rest, createdAt: new Date(at) } });
}

test("the audit log reads in words, filters by days in the reader's zone, pages and exports what it shows", async ({
  page,
  browser,
}) => {
  const account = await seedAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Max Member" });
  const accountId = account.id;
  // 03:00 UTC on 1 March is still 28 February in New York; 12:00 UTC is 1 March there.
  await event({
    accountId,
    type: "sign_in.failed",
    at: "2026-03-01T03:00:00Z",
    targetId: member.id,
    ip: "198.51.100.9",
    data: { reason: "password" },
  });
  await event({
    accountId,
    type: "two_factor.reset",
    at: "2026-03-01T12:00:00Z",
    actorId: admin.id,
    targetId: member.id,
    ip: "203.0.113.5",
    userAgent: '=HYPERLINK("http://evil.test","click")',
    data: { method: "totp", sessionsEnded: 2 },
  });
  await event({
    accountId,
    type: "exemption.changed",
    at: "2026-03-02T04:59:00Z",
    actorId: admin.id,
    targetId: member.id,
    data: { exempt: true },
  });
  // The details the log used to show raw: a browser's kind and newness, the passkey
  // requirement, a passkey's id (an old event, before names were recorded) and name.
  await event({
    accountId,
    type: "sign_in.succeeded",
    at: "2026-03-01T12:01:00Z",
    actorId: member.id,
    targetId: member.id,
    data: { client: "browser", newClient: false },
  });
  await event({
    accountId,
    type: "enforcement.changed",
    at: "2026-03-01T12:02:00Z",
    actorId: admin.id,
    data: {
      enabled: false,
      graceDays: 7,
      allowedMethods: "passkey,totp",
      lockoutThreshold: 10,
      requirePasskey: "off",
      notified: 0,
    },
  });
  await event({
    accountId,
    type: "sign_in.passkey",
    at: "2026-03-01T12:03:00Z",
    actorId: member.id,
    targetId: member.id,
    data: { method: "passkey", passkeyId: "cmxd0i705000qwertyuiopas" },
  });
  await event({
    accountId,
    type: "passkey.added",
    at: "2026-03-01T12:04:00Z",
    actorId: member.id,
    targetId: member.id,
    data: { passkeyId: "cmxd0i705000qwertyuiopas", name: "Work laptop", sessionsEnded: 0 },
  });
  for (let i = 0; i < 26; i++) {
    await event({
      accountId,
      type: "sign_in.succeeded",
      at: `2026-02-10T10:${String(i).padStart(2, "0")}:00Z`,
      actorId: member.id,
    });
  }

  await signInAndExpectProfile(page, admin.email);
  await page.goto("/account/audit");
  const table = page.getByRole("table", { name: "Audit events" });
  await expect(table.getByText("Two-factor authentication reset", { exact: true })).toBeVisible();
  await expect(table.getByText("was using authenticator app · 2 sessions signed out", { exact: true })).toBeVisible();
  await expect(table.getByText("wrong email or password", { exact: true })).toBeVisible();
  await expect(table.getByText("from a browser, recognised", { exact: true })).toBeVisible();
  await expect(
    table.getByText(
      "two-factor authentication not required · 7 days to set it up · methods allowed: passkey or security key, authenticator app · locked after 10 failed attempts · passkeys not required · nobody to email",
      { exact: true },
    ),
  ).toBeVisible();
  await expect(table.getByText("with a passkey", { exact: true })).toBeVisible();
  await expect(table.getByText("the passkey “Work laptop” · no sessions to sign out", { exact: true })).toBeVisible();
  // Never a stored key or an id.
  for (const raw of ["cmxd0i705", "newClient", "requirePasskey", "Passkey id", "client:"])
    await expect(table.getByText(raw)).toHaveCount(0);
  await expect(page.getByText("Days are read in your time zone (America/New_York).")).toBeVisible();

  await screenshot(page, "audit-log-words");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "audit-log-words-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  // Keyset paging through 34 events (33 seeded and this sign-in), 25 to a page.
  await expect(page.getByText("34 events match.")).toBeVisible();
  await page.getByRole("link", { name: "Older" }).click();
  await expect(table.getByRole("row")).toHaveCount(1 + 9);
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newer" }).click();
  await expect(table.getByRole("row")).toHaveCount(1 + 25);
  await expect(page.getByRole("link", { name: "Newer" })).toHaveCount(0);

  // A range the wrong way round is refused, with what was typed kept.
  await page.getByLabel("From").fill("2026-03-05");
  await page.getByLabel("To").fill("2026-03-01");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("The end date is before the start date.")).toBeVisible();
  await expect(page.getByLabel("From")).toHaveValue("2026-03-05");
  await expect(page.getByRole("table", { name: "Audit events" })).toHaveCount(0);

  // 1 March in New York: the reset (07:00 there), the four events just after it and the
  // exemption (23:59 there), not the failed sign-in (22:00 on 28 February there).
  await page.getByLabel("From").fill("2026-03-01");
  await page.getByLabel("To").fill("2026-03-01");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("6 events match.")).toBeVisible();
  await expect(table.getByText("Exemption changed", { exact: true })).toBeVisible();
  await expect(table.getByText("exempt from the two-factor requirement", { exact: true })).toBeVisible();
  await expect(table.getByText("Sign-in failed")).toHaveCount(0);
  await screenshot(page, "audit-log-filtered");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "audit-log-filtered-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
  expect(lines[0]).toBe(
    '"Time (UTC)","Event","Event type","Details","Details (JSON)","Actor","Actor email","Target","Target email","IP","Device","User agent"',
  );
  expect(lines).toHaveLength(7);
  // The words, and beside them the stored values for machines (compared as JSON:
  // PostgreSQL keeps an object's keys in an order of its own).
  const row = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((cell) => cell[1].replaceAll('""', '"'));
  const [exemption, passkey, , , signedIn, reset] = lines.slice(1).map(row);
  expect(exemption.slice(0, 4)).toEqual([
    "2026-03-02T04:59:00.000Z",
    "Exemption changed",
    "exemption.changed",
    "exempt from the two-factor requirement",
  ]);
  expect(JSON.parse(exemption[4])).toEqual({ exempt: true });
  expect(passkey[3]).toBe("the passkey “Work laptop”; no sessions to sign out");
  expect(JSON.parse(passkey[4])).toEqual({
    passkeyId: "cmxd0i705000qwertyuiopas",
    name: "Work laptop",
    sessionsEnded: 0,
  });
  expect(signedIn[3]).toBe("from a browser, recognised");
  expect(JSON.parse(signedIn[4])).toEqual({ client: "browser", newClient: false });
  expect(reset.slice(1, 4)).toEqual([
    "Two-factor authentication reset",
    "two_factor.reset",
    "was using authenticator app; 2 sessions signed out",
  ]);
  expect(JSON.parse(reset[4])).toEqual({ method: "totp", sessionsEnded: 2 });
  // The user agent a stranger could choose is not a formula in a spreadsheet.
  expect(lines[6]).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);

  // The export is for admins only, checked by the server, not just by hiding the link.
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);
  const refused = await memberPage.request.get("/account/audit/export", { maxRedirects: 0 });
  expect(refused.status()).toBe(307);
  expect(refused.headers().location).toMatch(/\/profile\?denied=account$/);
  const anonymous = await browser.newPage();
  const signedOut = await anonymous.request.get("/account/audit/export", { maxRedirects: 0 });
  expect(signedOut.status()).toBe(307);
  expect(signedOut.headers().location).toMatch(/\/login$/);
  const bad = await page.request.get("/account/audit/export?from=2026-02-30");
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("Enter a date like 2026-03-31.");
});

test("a member reads their own security log in My Profile, page by page", async ({ page }) => {
  const account = await seedAccount();
  const admin = await seedUser({ role: "ADMIN", accountId: account.id, name: "Ada Admin" });
  const member = await seedUser({ accountId: account.id, name: "Max Member" });
  const other = await seedUser({ accountId: account.id, name: "Nia Neighbour" });
  await event({
    accountId: account.id,
    type: "two_factor.reset",
    at: "2026-03-01T12:00:00Z",
    actorId: admin.id,
    targetId: member.id,
    ip: "203.0.113.77",
    data: { method: "sms" },
  });
  await event({
    accountId: account.id,
    type: "sign_in.succeeded",
    at: "2026-03-01T12:00:00Z",
    actorId: other.id,
    targetId: other.id,
  });
  for (let i = 0; i < 30; i++) {
    await event({
      accountId: account.id,
      type: "sign_in.failed",
      at: `2026-02-10T10:${String(i).padStart(2, "0")}:00Z`,
      targetId: member.id,
      ip: "198.51.100.44",
      data: { reason: "password" },
    });
  }

  await signInAndExpectProfile(page, member.email);
  await page.getByRole("link", { name: "View security log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Security log" })).toBeVisible();
  const table = page.getByRole("table", { name: "Your security events" });
  const newest = table.getByRole("row").nth(1);
  await expect(newest.getByText("Signed in", { exact: true })).toBeVisible();
  // This browser held no device cookie of the member's: new to them, said in words.
  await expect(newest.getByText("from a new browser", { exact: true })).toBeVisible();
  await expect(newest.getByRole("cell", { name: "You", exact: true })).toBeVisible();
  const reset = table.getByRole("row").filter({ hasText: "Two-factor authentication reset" });
  await expect(reset.getByText("was using text message (SMS)", { exact: true })).toBeVisible();
  await expect(reset.getByRole("cell", { name: "Ada Admin" })).toBeVisible();
  // The admin's own address is theirs, not the member's to see.
  await expect(page.getByText("203.0.113.77")).toHaveCount(0);
  await expect(page.getByText("Nia Neighbour")).toHaveCount(0);
  await expect(table.getByText("Sign-in failed", { exact: true })).toHaveCount(23);
  await screenshot(page, "security-log");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "security-log-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByRole("link", { name: "Older" }).click();
  await expect(table.getByText("Sign-in failed", { exact: true })).toHaveCount(7);
  await expect(table.getByText("198.51.100.44", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newer" }).click();
  await expect(newest.getByText("Signed in", { exact: true })).toBeVisible();
});
