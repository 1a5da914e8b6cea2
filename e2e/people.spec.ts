import { expect, type Page, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import {
  adminOf,
  PASSWORD,
  screenshot,
  seedAccount,
  seedUser,
  signIn,
  signInAndExpectProfile,
  signOut,
  uniqueEmail,
} from "./helpers";

// People's addresses and arrivals: changing an email address (the user's own, through a
// link to the new one; a member's, by an admin), invitations that can be resent and
// revoked, and the email that tells someone their account was signed in to from a new
// browser.

async function messagesTo(to: string) {
  const messages = await db.outboundMessage.findMany({ where: { to }, orderBy: { createdAt: "asc" } });
  return messages.map((message) => ({ subject: message.subject, text: readMessageBody(message)! }));
}

async function lastLink(to: string, path: string) {
  const messages = await messagesTo(to);
  const pattern = new RegExp(`https?://\\S+/${path}/\\S+`);
  const link = messages.reverse().find((message) => pattern.test(message.text));
  return link!.text.match(pattern)![0];
}

async function atWidths(page: Page, name: string) {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("a user changes their own email through a link to the new address; the old one is told", async ({ browser }) => {
  const user = await seedUser({ name: "Emil Mover" });
  const page = await browser.newPage();
  await signInAndExpectProfile(page, user.email);
  await page.getByRole("link", { name: "Change email address" }).click();
  // Just signed in: the password was given moments ago, so no second prompt (sudo mode).
  await expect(page.getByRole("heading", { level: 1, name: "Change email address" })).toBeVisible();

  const other = await seedUser();
  await page.getByLabel("New email address").fill(other.email);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText("Someone with that email address already has an account.")).toBeVisible();
  await expect(page.getByLabel("New email address")).toHaveValue(other.email);

  const newEmail = uniqueEmail("emil-new");
  await page.getByLabel("New email address").fill(` ${newEmail.toUpperCase()} `);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText(`We sent a link to ${newEmail}.`)).toBeVisible();
  await page.reload();
  await expect(page.getByText(`Waiting for you to open the link sent to ${newEmail}`)).toBeVisible();
  await atWidths(page, "profile-email");
  expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: user.email });

  // The link is opened wherever the new mailbox is read: here, a browser that is not signed in.
  const link = await lastLink(newEmail, "confirm-email");
  const mailbox = await browser.newPage();
  await mailbox.goto(link);
  await expect(mailbox.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
  await atWidths(mailbox, "confirm-email");
  await mailbox.getByRole("button", { name: "Confirm new address" }).click();
  await expect(mailbox.getByText(`Your email address is now ${newEmail}.`)).toBeVisible();
  await mailbox.goto(link);
  await expect(mailbox.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();

  const [notice] = (await messagesTo(user.email)).filter((m) => m.subject?.includes("was changed"));
  expect(notice!.text).toContain(`from ${user.email} to ${newEmail}`);
  expect(notice!.text).toContain("tell your administrator at once");

  // The session stays; the next sign-in uses the new address, and the old one is unknown.
  await page.goto("/profile");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(newEmail);
  await signOut(page);
  await signIn(page, user.email);
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await signInAndExpectProfile(page, newEmail);
});

test("the email change asks for the password again once sudo mode has lapsed", async ({ browser }) => {
  const user = await seedUser();
  const page = await browser.newPage();
  await signInAndExpectProfile(page, user.email);
  await db.session.updateMany({ where: { userId: user.id }, data: { sudoAt: new Date(Date.now() - 16 * 60_000) } });
  await page.goto("/profile/email");
  await expect(page).toHaveURL(/\/profile\/confirm-password\?next=\/profile\/email/);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Change email address" })).toBeVisible();
});

test("an admin changes a member's email: audited with both addresses, both told", async ({ browser }) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  const member = await seedUser({ accountId: account.id, name: "Mia Moved" });
  const taken = await seedUser({ accountId: account.id, name: "Tom Taken" });
  await page.goto(`/account/users/${member.id}`);
  const field = page.getByLabel("Email address", { exact: true });
  await expect(field).toHaveValue(member.email);
  await field.fill(taken.email);
  await page.getByRole("button", { name: "Change email address" }).click();
  await expect(page.getByText("Someone with that email address already has an account.")).toBeVisible();
  await expect(field).toHaveValue(taken.email);

  const newEmail = uniqueEmail("mia");
  await field.fill(newEmail);
  await page.getByRole("button", { name: "Change email address" }).click();
  await expect(page.getByText("Email address changed. We told them at both addresses.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Mia Moved" })).toBeVisible();
  await atWidths(page, "admin-user-email");

  expect((await messagesTo(member.email)).at(-1)!.text).toContain(`to ${newEmail}`);
  expect((await messagesTo(newEmail)).at(-1)!.text).toContain("From now on you sign in with this address");
  await page.goto("/account/audit");
  await expect(
    page.getByRole("row").filter({ hasText: "Email address changed" }).filter({ hasText: "Mia Moved" }),
  ).toBeVisible();
  const event = await db.auditEvent.findFirstOrThrow({ where: { type: "email.changed", targetId: member.id } });
  expect(event.data).toMatchObject({ from: member.email, to: newEmail });

  // The owner's address is not an admin's to change: no form on the owner's page.
  const owner = await db.user.create({
    data: { accountId: account.id, email: uniqueEmail("owner"), name: "Otto Owner", role: "OWNER" },
  });
  await page.goto(`/account/users/${owner.id}`);
  await expect(page.getByRole("heading", { level: 2, name: "Otto Owner" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Change email address" })).toHaveCount(0);
});

test("invitations: pending in the list, resent, revoked, sent again; the sign-in page knows the address", async ({
  browser,
}) => {
  // One long journey through every state of an invitation.
  test.slow();
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  const email = uniqueEmail("ivy");
  await page.goto("/account/users");
  await page.getByLabel("Name").fill("Ivy Invitee");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const first = await lastLink(email, "invite");

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "Ivy Invitee" });
  const badge = row.getByText(/^invited · until /);
  await expect(badge).toBeVisible();
  // As drawn, a space before the date: a flex badge dropped it ("untilDec 14, 2026").
  await expect(badge).toHaveText(/^invited · until \S/, { useInnerText: true });
  await atWidths(page, "users-invited");

  await page.getByRole("link", { name: "Edit Ivy Invitee" }).click();
  await expect(page.getByText(/^Pending: sent .*, the link works until /)).toBeVisible();
  await page.getByRole("button", { name: "Resend invitation" }).click();
  await expect(
    page.getByText(/A new invitation was sent\. The link works until .*; older links no longer work\./),
  ).toBeVisible();
  const second = await lastLink(email, "invite");
  expect(second).not.toBe(first);
  await atWidths(page, "user-invitation");

  const invitee = await browser.newPage();
  await invitee.goto(first);
  await expect(invitee.getByRole("heading", { name: "This invitation link is no longer valid" })).toBeVisible();

  await page.reload();
  await page.getByRole("button", { name: "Revoke invitation" }).click();
  await page
    .getByRole("dialog", { name: "Revoke this invitation?" })
    .getByRole("button", { name: "Revoke invitation" })
    .click();
  await expect(page.getByText("The invitation was revoked: its link no longer works.")).toBeVisible();
  await invitee.goto(second);
  await expect(invitee.getByRole("heading", { name: "This invitation link is no longer valid" })).toBeVisible();
  await page.reload();
  await expect(page.getByText("Revoked: the link no longer works.")).toBeVisible();
  await page.goto("/account/users");
  await expect(page.getByRole("row").filter({ hasText: "Ivy Invitee" }).getByText("invitation revoked")).toBeVisible();

  await page.goto("/account/audit");
  const events = page.getByRole("table", { name: "Audit events" });
  await expect(events.getByText("Invitation sent again", { exact: true })).toBeVisible();
  await expect(events.getByText("Invitation revoked", { exact: true })).toBeVisible();

  // Revoked, then sent again: the newest link works, and the sign-in page has the address.
  await page.goto("/account/users");
  await page.getByRole("link", { name: "Edit Ivy Invitee" }).click();
  await page.getByRole("button", { name: "Send a new invitation" }).click();
  await expect(page.getByText(/A new invitation was sent\./)).toBeVisible();
  await invitee.goto(await lastLink(email, "invite"));
  await invitee.getByLabel("Password", { exact: true }).fill("ivy picks a long passphrase");
  await invitee.getByLabel("Confirm password").fill("ivy picks a long passphrase");
  await invitee.getByRole("button", { name: "Set password and continue" }).click();
  await expect(invitee.getByText("Your password is set. Sign in to continue.")).toBeVisible();
  await expect(invitee.getByLabel("Email")).toHaveValue(email);
  await expect(invitee.getByLabel("Password")).toBeFocused();
  await invitee.getByLabel("Password").fill("ivy picks a long passphrase");
  await invitee.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(invitee).toHaveURL(/\/profile/);
});

test("an expired invitation can be sent again", async ({ browser }) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  const email = uniqueEmail("late");
  await page.goto("/account/users");
  await page.getByLabel("Name").fill("Lou Late");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const invitee = await db.user.findUniqueOrThrow({ where: { email } });
  await db.invitation.updateMany({ where: { userId: invitee.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: "Lou Late" }).getByText("invitation expired")).toBeVisible();
  await page.getByRole("link", { name: "Edit Lou Late" }).click();
  await expect(page.getByText(/^Expired on .*: the link no longer works\. Send a new one\./)).toBeVisible();
  await page.getByRole("button", { name: "Send a new invitation" }).click();
  await expect(page.getByText(/A new invitation was sent\./)).toBeVisible();
  const link = await lastLink(email, "invite");
  const fresh = await browser.newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole("heading", { name: /^Join / })).toBeVisible();
});

test("someone who joins after 2FA became required gets the whole grace period from the day they join", async ({
  browser,
}) => {
  const account = await seedAccount();
  const { page } = await adminOf(browser, account.id);
  await page.goto("/account");
  await page.getByLabel("Require two-factor authentication for all users").check();
  await page.getByLabel("Grace period (days)").fill("7");
  await page.getByRole("region", { name: "Two-factor authentication" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();
  // Enforcement began 30 days ago: the account's own deadline passed long since.
  await db.account.update({
    where: { id: account.id },
    data: { enforceSince: new Date(Date.now() - 30 * 86_400_000) },
  });

  const email = uniqueEmail("newcomer");
  await page.goto("/account/users");
  await page.getByLabel("Name").fill("Nina Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const invitation = (await messagesTo(email)).at(-1)!;
  expect(invitation.text).toContain("requires two-factor authentication");
  expect(invitation.text).toContain("You have 7 days from the day you join to set it up");

  const newcomer = await browser.newPage();
  await newcomer.goto(await lastLink(email, "invite"));
  await newcomer.getByLabel("Password", { exact: true }).fill("nina picks a long passphrase");
  await newcomer.getByLabel("Confirm password").fill("nina picks a long passphrase");
  await newcomer.getByRole("button", { name: "Set password and continue" }).click();
  await expect(newcomer.getByText("Your password is set. Sign in to continue.")).toBeVisible();
  await newcomer.getByLabel("Password").fill("nina picks a long passphrase");
  await newcomer.getByRole("button", { name: "Sign in", exact: true }).click();
  // Not sent to enrolment: a banner with a deadline a week from today.
  await expect(newcomer).toHaveURL(/\/profile$/);
  const banner = newcomer.getByRole("status").filter({ hasText: "Set it up by" });
  await expect(banner).toBeVisible();
  const joined = await db.user.findUniqueOrThrow({ where: { email } });
  const deadline = new Date(joined.joinedAt!.getTime() + 7 * 86_400_000);
  // Shown in the browser's own locale and time zone (UTC here).
  const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(deadline);
  await expect(banner).toContainText(day);
});

test("a sign-in from a new browser is emailed; the same browser again is not", async ({ browser }) => {
  const user = await seedUser({ name: "Nico Notified" });
  // Signed in before, elsewhere: this is not their first sign-in.
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date(Date.now() - 86_400_000) } });
  const newSignIns = async () =>
    (await messagesTo(user.email)).filter((m) => m.subject === "New sign-in to your StrongSign account");

  const first = await browser.newContext();
  const page = await first.newPage();
  await signInAndExpectProfile(page, user.email);
  const [notice, ...more] = await newSignIns();
  expect(more).toEqual([]);
  expect(notice!.text).toMatch(/from a browser it has not used before: Chrome on \w+, IP \S+, on .+ UTC\./);
  expect(notice!.text).toContain("change your password at once");

  await signOut(page);
  await signInAndExpectProfile(page, user.email);
  expect(await newSignIns()).toHaveLength(1);

  const second = await browser.newContext();
  await signInAndExpectProfile(await second.newPage(), user.email);
  expect(await newSignIns()).toHaveLength(2);
  await first.close();
  await second.close();
});
