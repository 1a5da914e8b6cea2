import { expect, type Page, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import {
  adminOf,
  PASSWORD,
  screenshot,
  seedAccount,
  seedUser,
  seedUserWithTotp,
  signIn,
  signInAndExpectProfile,
} from "./helpers";
import { totp } from "./totp";

async function openUser(page: Page, name: string) {
  await page.goto("/account/users");
  await page.getByRole("link", { name: `Edit ${name}` }).click();
  await expect(page.getByRole("heading", { name, level: 2 })).toBeVisible();
}

test("enforcement: email to each user without 2FA, banner in grace, then enrollment only", async ({ browser }) => {
  const account = await seedAccount();
  const { page: adminPage } = await adminOf(browser, account.id);
  const without = await seedUser({ accountId: account.id, name: "Nora Nofactor" });
  const alsoWithout = await seedUser({ accountId: account.id, name: "Otto Nofactor" });
  const exempt = await seedUser({ accountId: account.id, name: "Iggy Integration" });
  await db.user.update({ where: { id: exempt.id }, data: { twoFactorExempt: true } });

  await adminPage.goto("/account");
  await adminPage.getByLabel("Require two-factor authentication for all users").check();
  await adminPage.getByLabel("Grace period (days)").fill("7");
  await adminPage
    .getByRole("region", { name: "Two-factor authentication" })
    .getByRole("button", { name: "Save" })
    .click();
  await expect(adminPage.getByText("Saved. 2 users without the required method were emailed.")).toBeVisible();
  await screenshot(adminPage, "account-general");

  const mails = await db.outboundMessage.findMany({
    where: { to: { in: [without.email, alsoWithout.email, exempt.email] } },
  });
  expect(mails.map((m) => m.to).sort()).toEqual([without.email, alsoWithout.email].sort());
  expect(readMessageBody(mails[0])).toContain("/profile");

  // During the grace period: a banner with the deadline, everything still reachable.
  const member = await browser.newPage();
  await signInAndExpectProfile(member, without.email);
  await expect(
    member.getByRole("status").filter({ hasText: "requires two-factor authentication. Set it up by" }),
  ).toBeVisible();

  // Capture a server action the member may use now (saving their name), to replay it
  // once the deadline has passed.
  let captured: { headers: Record<string, string>; body: Buffer; url: string } | undefined;
  await member.route("**/profile", async (route) => {
    const request = route.request();
    if (request.method() !== "POST") return route.continue();
    captured = { headers: request.headers(), body: request.postDataBuffer()!, url: request.url() };
    await route.abort();
  });
  await member.getByLabel("Name", { exact: true }).fill("Renamed While Overdue");
  await member.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => captured).toBeDefined();
  await member.unroute("**/profile");

  // After it: only enrollment.
  await db.account.update({
    where: { id: account.id },
    data: { enforceSince: new Date(Date.now() - 8 * 24 * 60 * 60_000) },
  });
  await member.goto("/profile");
  await expect(member).toHaveURL(/\/profile\/two-factor\/setup\?required=1/);
  await member.goto("/profile/two-factor/recovery-codes");
  await expect(member).toHaveURL(/\/profile\/two-factor\/setup/);
  await member.request.post(captured!.url, {
    headers: {
      "next-action": captured!.headers["next-action"],
      "content-type": captured!.headers["content-type"],
      origin: new URL(captured!.url).origin,
    },
    data: captured!.body,
    maxRedirects: 0,
  });
  expect((await db.user.findUniqueOrThrow({ where: { id: without.id } })).name).toBe("Nora Nofactor");
  const other = await browser.newPage();
  await signIn(other, alsoWithout.email);
  await expect(other).toHaveURL(/\/profile\/two-factor\/setup\?required=1/);
  await screenshot(other, "enrollment-required");

  // Enrolling makes the user compliant at once.
  await member.getByLabel("Current password").fill(PASSWORD);
  await member.getByRole("button", { name: "Continue" }).click();
  const secret = (await member.getByLabel("Setup key").innerText()).replace(/\s/g, "");
  await member.getByLabel("Authentication code").fill(totp(secret));
  await member.getByRole("button", { name: "Verify and turn on" }).click();
  await member.getByRole("button", { name: "Download" }).click();
  await member.getByRole("button", { name: "Done" }).click();
  await expect(member.getByRole("heading", { name: "My Profile" })).toBeVisible();
  await expect(member.getByRole("button", { name: "Disable two-factor authentication" })).toHaveCount(0);
  await expect(member.getByText("Required by your organisation: it can't be turned off.")).toBeVisible();

  // The exempt integration account signs in without 2FA.
  const integration = await browser.newPage();
  await signInAndExpectProfile(integration, exempt.email);

  // Users list: status and the "not compliant" filter.
  await adminPage.goto("/account/users?filter=not_compliant");
  const rows = adminPage.getByRole("row");
  await expect(rows.filter({ hasText: "Otto Nofactor" })).toBeVisible();
  await expect(rows.filter({ hasText: "Nora Nofactor" })).toHaveCount(0);
  await adminPage.goto("/account/users");
  await expect(rows.filter({ hasText: "Iggy Integration" }).getByText("Exempt")).toBeVisible();
  await expect(rows.filter({ hasText: "Nora Nofactor" }).getByText("App")).toBeVisible();
  await screenshot(adminPage, "account-users");

  await adminPage.goto("/account/audit?type=enforcement.changed");
  const events = adminPage.getByRole("table", { name: "Audit events" });
  await expect(events.getByText("Two-factor requirement changed", { exact: true })).toBeVisible();
  await expect(events.getByText("two-factor authentication required", { exact: false })).toBeVisible();

  // The replayed action was refused only because of enforcement: now it goes through.
  await member.request.post(captured!.url, {
    headers: {
      "next-action": captured!.headers["next-action"],
      "content-type": captured!.headers["content-type"],
      origin: new URL(captured!.url).origin,
    },
    data: captured!.body,
    maxRedirects: 0,
  });
  expect((await db.user.findUniqueOrThrow({ where: { id: without.id } })).name).toBe("Renamed While Overdue");
});

test("exempt a user, save an email preference, unlock, reset 2FA, expire sessions; all audited", async ({
  browser,
}) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  const { user: target, secret } = await seedUserWithTotp({ accountId: account.id, name: "Tess Target" });

  // The target is signed in elsewhere.
  const targetPage = await browser.newPage();
  await signIn(targetPage, target.email);
  await targetPage.getByLabel("Authentication code").fill(totp(secret));
  await targetPage.getByRole("button", { name: "Verify" }).click();
  await expect(targetPage).toHaveURL(/\/profile/);

  await openUser(page, "Tess Target");
  await page.getByRole("button", { name: "Exempt from requirement" }).click();
  await expect(page.getByText("Exempted from the two-factor requirement.")).toBeVisible();

  await db.user.update({
    where: { id: target.id },
    data: { secondFactorLockedUntil: new Date(Date.now() + 15 * 60_000), failedSecondFactorCount: 0 },
  });
  await page.reload();
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByText("Unlocked.", { exact: false })).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).secondFactorLockedUntil).toBeNull();

  await page.getByRole("button", { name: "Expire sessions" }).click();
  await page.getByRole("dialog", { name: "Expire sessions?" }).getByRole("button", { name: "Expire sessions" }).click();
  await expect(page.getByText("Their sessions have been expired.", { exact: false })).toBeVisible();
  await targetPage.reload();
  await expect(targetPage).toHaveURL(/\/login$/);

  await page.getByRole("button", { name: "Reset two-factor authentication" }).click();
  await page
    .getByRole("dialog", { name: "Reset two-factor authentication?" })
    .getByRole("button", { name: "Reset two-factor authentication" })
    .click();
  await expect(page.getByText("Two-factor authentication was reset", { exact: false })).toBeVisible();
  expect(await db.outboundMessage.count({ where: { to: target.email, subject: { contains: "reset" } } })).toBe(1);
  await signInAndExpectProfile(targetPage, target.email);

  await page.reload();
  await page.getByLabel("Authentication by Email").check();
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("Two-factor preference saved.")).toBeVisible();
  await page.getByLabel("Authentication by SMS").check();
  await page.getByLabel("Country").selectOption("");
  await page.getByLabel("Phone number").fill("07700 900123");
  await page.getByRole("button", { name: "Save preference" }).click();
  await expect(page.getByText("That is not a mobile number we can text.", { exact: false })).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).twoFactorMethod).toBe("email");

  await page.goto("/account/audit");
  const events = page.getByRole("table", { name: "Audit events" });
  for (const name of [
    "Exemption changed",
    "User unlocked",
    "Sessions expired",
    "Two-factor authentication reset",
    "Two-factor preference changed",
  ]) {
    await expect(events.getByText(name, { exact: true }).first()).toBeVisible();
  }
  await screenshot(page, "audit-log");
});

test("invite a user: the emailed link sets a password once", async ({ browser }) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  await page.goto("/account/users");
  const email = `invitee-${Date.now()}@globex.test`;
  await page.getByLabel("Name").fill("Ivy Invitee");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const mail = await db.outboundMessage.findFirstOrThrow({ where: { to: email } });
  const link = readMessageBody(mail)!.match(/https?:\/\/\S+\/invite\/\S+/)![0];

  const invitee = await browser.newPage();
  await invitee.goto(link);
  await invitee.getByLabel("Password", { exact: true }).fill("ivy picks a long passphrase");
  await invitee.getByLabel("Confirm password").fill("ivy picks a long passphrase");
  await invitee.getByRole("button", { name: "Set password and continue" }).click();
  await expect(invitee.getByText("Your password is set. Sign in to continue.")).toBeVisible();
  await signInAndExpectProfile(invitee, email, "ivy picks a long passphrase");
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "This invitation link is no longer valid" })).toBeVisible();
});

// A member (or anyone) posting an admin server action directly is refused on the server,
// and an admin of one account cannot act on a user of another: the admin's own request
// is captured and replayed with the other person's cookies.
test("admin server actions refuse members and admins of other accounts", async ({ browser }) => {
  const accountA = await seedAccount("Alpha");
  const accountB = await seedAccount("Beta");
  const { page: adminA } = await adminOf(browser, accountA.id);
  const { page: adminB } = await adminOf(browser, accountB.id);
  const memberA = await seedUser({ accountId: accountA.id, name: "Mia Member" });
  const victimA = await seedUser({ accountId: accountA.id, name: "Vic Victim" });
  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, memberA.email);

  // Capture admin A's "Disable user" request for Vic, without letting it reach the server.
  await openUser(adminA, "Vic Victim");
  let captured: { headers: Record<string, string>; body: Buffer; url: string } | undefined;
  await adminA.route("**/account/users/**", async (route) => {
    const request = route.request();
    if (request.method() === "POST") {
      captured = { headers: request.headers(), body: request.postDataBuffer()!, url: request.url() };
      await route.abort();
    } else await route.continue();
  });
  await adminA.getByRole("button", { name: "Disable user" }).click();
  await adminA
    .getByRole("dialog", { name: "Disable this user?" })
    .getByRole("button", { name: "Disable user" })
    .click();
  await expect.poll(() => captured).toBeDefined();
  const replay = (page: Page) =>
    page.request.post(captured!.url, {
      headers: {
        "next-action": captured!.headers["next-action"],
        "content-type": captured!.headers["content-type"],
        origin: new URL(captured!.url).origin,
      },
      data: captured!.body,
      maxRedirects: 0,
    });

  await replay(memberPage);
  await replay(adminB);
  expect((await db.user.findUniqueOrThrow({ where: { id: victimA.id } })).disabledAt).toBeNull();
  // The same request from admin A does work, so the refusals above are real.
  await replay(adminA);
  expect((await db.user.findUniqueOrThrow({ where: { id: victimA.id } })).disabledAt).not.toBeNull();

  // Admin B cannot even open account A's user.
  const response = await adminB.goto(`/account/users/${victimA.id}`);
  expect(response!.status()).toBe(404);
});

test("change a role, the login session duration, and disable then re-enable a user", async ({ browser }) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  const member = await seedUser({ accountId: account.id, name: "Rita Role" });

  await openUser(page, "Rita Role");
  await page.getByLabel("Role", { exact: true }).selectOption("ADMIN");
  await page.getByRole("button", { name: "Save role" }).click();
  await expect(page.getByText("Role saved.")).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("ADMIN");

  const memberPage = await browser.newPage();
  await signInAndExpectProfile(memberPage, member.email);
  await page.getByRole("button", { name: "Disable user" }).click();
  await page.getByRole("dialog", { name: "Disable this user?" }).getByRole("button", { name: "Disable user" }).click();
  await expect(page.getByText("The user is disabled and signed out.")).toBeVisible();
  await memberPage.reload();
  await expect(memberPage).toHaveURL(/\/login$/);
  await signIn(memberPage, member.email);
  await expect(memberPage.getByRole("main").getByRole("alert")).toContainText("This account has been disabled.");
  await page.getByRole("button", { name: "Enable user" }).click();
  await expect(page.getByText("The user can sign in again.")).toBeVisible();
  await signInAndExpectProfile(memberPage, member.email);

  await page.goto("/account/advanced");
  const duration = page.getByRole("region", { name: "Login session duration" });
  await page.getByLabel("Login session duration (days)").fill("0");
  await duration.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Use 1 to 365 days.")).toBeVisible();
  await page.getByLabel("Login session duration (days)").fill("30");
  await duration.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  expect((await db.account.findUniqueOrThrow({ where: { id: account.id } })).sessionDurationDays).toBe(30);

  await page.goto("/account/audit");
  const events = page.getByRole("table", { name: "Audit events" });
  for (const name of ["Role changed", "User disabled", "User enabled", "Session duration changed"]) {
    await expect(events.getByText(name, { exact: true }).first()).toBeVisible();
  }
});
