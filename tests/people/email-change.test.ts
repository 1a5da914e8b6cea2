// Property: a new email address takes over only through a single-use link, the old address is told, and nothing mailed to it keeps working.
import { describe, expect, it } from "vitest";
import { readMessageBody } from "@/lib/messages/outbox";
import { changeEmailAsAdmin, confirmEmailChange, findEmailChange, requestEmailChange } from "@/lib/people/email-change";
import { findInvitation, inviteUser } from "@/lib/people/invitations";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { findPasswordReset, sendPasswordResetLink } from "@/lib/sign-in/password-reset";
import { eventsOf, org, tokenFromInvitation } from "../admin-fixtures";
import { createUser, request, uniqueEmail } from "../factories";

// Account takeover through the mailbox: a new address must prove itself before it
// replaces the old one, the old address must hear of it, a link must work once, and
// nothing mailed to the old address may keep working afterwards.

async function lastMessageTo(to: string) {
  const message = await db.outboundMessage.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
  return { subject: message.subject, text: readMessageBody(message)! };
}

function linkToken(text: string) {
  return text.match(/\/confirm-email\/([A-Za-z0-9_-]+)/)![1]!;
}

async function requested(user: { id: string }, newEmail = uniqueEmail("new")) {
  const result = await requestEmailChange({ userId: user.id, newEmail, request });
  expect(result).toMatchObject({ ok: true, newEmail: newEmail.trim().toLowerCase() });
  return {
    newEmail: newEmail.trim().toLowerCase(),
    token: linkToken((await lastMessageTo(newEmail.trim().toLowerCase())).text),
  };
}

describe("changing one's own email address", () => {
  it("sends a single-use link to the new address; only its hash is stored; nothing changes until it is opened", async () => {
    const user = await createUser();
    const typed = `  ${uniqueEmail("New").toUpperCase()} `;
    const { newEmail, token } = await requested(user, typed);
    const row = await db.emailChange.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ newEmail, tokenHash: hashToken(token), usedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60 * 60_000);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    expect(await findEmailChange(token)).toEqual({ oldEmail: user.email, newEmail });
    expect((await eventsOf(user.accountId, "email.change_requested"))[0]).toMatchObject({
      actorId: user.id,
      data: { to: newEmail },
    });
  });

  it("confirming changes the address once, audits both, and tells the old address how to get help", async () => {
    const user = await createUser();
    const { newEmail, token } = await requested(user);
    const results = await Promise.all([1, 2, 3].map(() => confirmEmailChange({ token, request })));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, newEmail }]);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, error: "invalid_or_expired" },
      { ok: false, error: "invalid_or_expired" },
    ]);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(newEmail);
    const notice = await lastMessageTo(user.email);
    expect(notice.subject).toBe("The email address of your StrongSign account was changed");
    expect(notice.text).toContain(`from ${user.email} to ${newEmail}`);
    expect(notice.text).toContain("tell your administrator at once");
    expect((await eventsOf(user.accountId, "email.changed"))[0]).toMatchObject({
      actorId: user.id,
      targetId: user.id,
      data: { from: user.email, to: newEmail },
    });
    expect(await findEmailChange(token)).toBeNull();
  });

  it("refuses an address that is taken, the same address, and nonsense, before sending anything", async () => {
    const user = await createUser();
    const other = await createUser();
    expect(await requestEmailChange({ userId: user.id, newEmail: other.email.toUpperCase(), request })).toEqual({
      ok: false,
      error: "email_taken",
    });
    expect(await requestEmailChange({ userId: user.id, newEmail: ` ${user.email} `, request })).toEqual({
      ok: false,
      error: "same_email",
    });
    expect(await requestEmailChange({ userId: user.id, newEmail: "not an address", request })).toEqual({
      ok: false,
      error: "invalid_input",
    });
    expect(await db.emailChange.count({ where: { userId: user.id } })).toBe(0);
  });

  it("checks the address again at confirmation: someone who took it since wins", async () => {
    const user = await createUser();
    const { newEmail, token } = await requested(user);
    await createUser({ email: newEmail });
    expect(await confirmEmailChange({ token, request })).toEqual({ ok: false, error: "email_taken" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });

  it("of two users confirming the same new address at once, one gets it", async () => {
    const a = await createUser();
    const b = await createUser();
    const newEmail = uniqueEmail("contested");
    const first = await requested(a, newEmail);
    const second = await requested(b, newEmail);
    const results = await Promise.all([
      confirmEmailChange({ token: first.token, request }),
      confirmEmailChange({ token: second.token, request }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "email_taken" }]);
    expect(await db.user.count({ where: { email: newEmail } })).toBe(1);
  });

  it("a new request replaces a pending one; an expired link does nothing", async () => {
    const user = await createUser();
    const older = await requested(user);
    const newer = await requested(user);
    expect(await confirmEmailChange({ token: older.token, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    await db.emailChange.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await confirmEmailChange({ token: newer.token, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });

  it("ends what was mailed to the old address, keeps sessions", async () => {
    const user = await createUser();
    const session = await createSession(db, { userId: user.id, request });
    await sendPasswordResetLink({ email: user.email, request });
    const resetToken = (await lastMessageTo(user.email)).text.match(/\/reset-password\/(\S+)/)![1]!;
    const pending = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    const { token } = await requested(user);
    expect(await confirmEmailChange({ token, request })).toMatchObject({ ok: true });
    expect(await findPasswordReset(resetToken)).toBeNull();
    expect(await db.loginChallenge.findUniqueOrThrow({ where: { id: pending.challenge.id } })).toMatchObject({
      consumedAt: expect.any(Date),
    });
    expect(await validateSessionToken(session.token)).not.toBeNull();
  });

  it("caps requests per hour, so the form can neither flood someone's inbox nor list who has an account", async () => {
    const user = await createUser();
    const other = await createUser();
    for (let i = 0; i < 4; i++) await requested(user);
    expect(await requestEmailChange({ userId: user.id, newEmail: other.email, request })).toEqual({
      ok: false,
      error: "email_taken",
    });
    for (const newEmail of [uniqueEmail(), other.email])
      expect(await requestEmailChange({ userId: user.id, newEmail, request })).toMatchObject({
        ok: false,
        error: "rate_limited",
      });
  });
});

describe("an admin changing a member's email address", () => {
  it("changes it at once, audits old and new, and tells both addresses", async () => {
    const { admin, member, accountId } = await org();
    const newEmail = uniqueEmail("moved");
    expect(
      await changeEmailAsAdmin({ actor: admin, userId: member.id, email: ` ${newEmail.toUpperCase()}`, request }),
    ).toEqual({
      ok: true,
      newEmail,
      invitationRevoked: false,
      notified: true,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe(newEmail);
    expect((await eventsOf(accountId, "email.changed"))[0]).toMatchObject({
      actorId: admin.id,
      targetId: member.id,
      data: { from: member.email, to: newEmail },
    });
    expect((await lastMessageTo(member.email)).text).toContain("An administrator of Test Org changed");
    expect((await lastMessageTo(newEmail)).text).toContain("From now on you sign in with this address");
  });

  it("follows the admin rules: not the owner's, not one's own (My Profile is for that), not a taken address", async () => {
    const { owner, admin, member } = await org();
    expect(await changeEmailAsAdmin({ actor: admin, userId: owner.id, email: uniqueEmail(), request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect(await changeEmailAsAdmin({ actor: admin, userId: admin.id, email: uniqueEmail(), request })).toEqual({
      ok: false,
      error: "self",
    });
    expect(await changeEmailAsAdmin({ actor: owner, userId: admin.id, email: member.email, request })).toEqual({
      ok: false,
      error: "email_taken",
    });
    expect(await changeEmailAsAdmin({ actor: member, userId: admin.id, email: uniqueEmail(), request })).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await changeEmailAsAdmin({ actor: owner, userId: admin.id, email: uniqueEmail(), request })).toMatchObject({
      ok: true,
    });
  });

  it("for someone still invited, the invitation to the old address stops working and nobody is told", async () => {
    const { admin } = await org();
    const email = uniqueEmail("typo");
    const invited = await inviteUser({ actor: admin, email, name: "Typo", role: "MEMBER", request });
    if (!invited.ok) throw new Error(invited.error);
    const token = tokenFromInvitation((await lastMessageTo(email)).text);
    const newEmail = uniqueEmail("fixed");
    expect(await changeEmailAsAdmin({ actor: admin, userId: invited.userId, email: newEmail, request })).toMatchObject({
      ok: true,
      invitationRevoked: true,
      notified: false,
    });
    expect(await findInvitation(token)).toBeNull();
    expect(await db.outboundMessage.count({ where: { to: newEmail } })).toBe(0);
  });
});
