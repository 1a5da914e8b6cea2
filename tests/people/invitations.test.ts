// Property: an invitation link sets a password once, until it expires or is resent or revoked, and tells the invitee the account's 2FA rules.
import { describe, expect, it } from "vitest";
import { twoFactorRequirement } from "@/lib/account/policy";
import { updateEnforcement } from "@/lib/account/settings";
import { methodFacts } from "@/lib/factors/kinds";
import { formatDateTime } from "@/lib/format/user-agent";
import { readMessageBody } from "@/lib/messages/outbox";
import {
  acceptInvitation,
  findInvitation,
  invitationStates,
  inviteUser,
  resendInvitation,
  revokeInvitation,
} from "@/lib/people/invitations";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { verifyPassword } from "@/lib/sign-in/password";
import { DAY, emailsTo, eventsOf, org, STRONG_PASSWORD, tokenFromInvitation } from "../admin-fixtures";
import { createUser, request } from "../factories";

// Invitation replay: the link from the email used twice, or by two tabs at once, must set
// the password once only; an expired link must not work at all.
describe("invitations", () => {
  async function invite() {
    const { admin, accountId } = await org();
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
    const result = await inviteUser({
      actor: admin,
      email: ` ${email.toUpperCase()} `,
      name: "Invitee",
      role: "MEMBER",
      request,
    });
    if (!result.ok) throw new Error(result.error);
    const [message] = await emailsTo(result.userId);
    return {
      admin,
      accountId,
      email,
      userId: result.userId,
      message,
      token: tokenFromInvitation(readMessageBody(message)!),
    };
  }

  it("creates a user without a password and emails a single-use link; only its hash is stored", async () => {
    const { accountId, email, userId, message, token } = await invite();
    expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
      email,
      accountId,
      role: "MEMBER",
      passwordHash: null,
    });
    expect(message).toMatchObject({ to: email, provider: "outbox" });
    expect(readMessageBody(message)).toContain(`/invite/${token}`);
    const invitation = await db.invitation.findFirstOrThrow({ where: { userId } });
    expect(invitation.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(7 * DAY);
    expect(await findInvitation(token)).toMatchObject({ email, name: "Invitee", accountName: "Test Org" });
    expect(await eventsOf(accountId, "user.invited")).toHaveLength(1);
  });

  it("refuses an email that already has an account, in any account", async () => {
    const { admin } = await org();
    const elsewhere = await createUser();
    expect(await inviteUser({ actor: admin, email: elsewhere.email, name: "Again", role: "MEMBER", request })).toEqual({
      ok: false,
      error: "email_taken",
    });
    expect(await inviteUser({ actor: admin, email: "not an email", name: "X", role: "MEMBER", request })).toEqual({
      ok: false,
      error: "invalid_input",
    });
    expect(
      await inviteUser({ actor: admin, email: "x@example.test", name: "X", role: "OWNER" as never, request }),
    ).toEqual({ ok: false, error: "invalid_input" });
  });

  it("gives the address to one of two accounts inviting it at the same moment", async () => {
    const a = await org();
    const b = await org();
    const email = `contested-${Math.random().toString(36).slice(2)}@example.test`;
    const results = await Promise.all(
      [a.admin, b.admin].map((actor) => inviteUser({ actor, email, name: "Contested", role: "MEMBER", request })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "email_taken" }]);
  });

  it("accepting sets the password once, even when five tries race", async () => {
    const { email, userId, token } = await invite();
    const weak = await acceptInvitation({ token, password: "password1234", request });
    expect(weak).toMatchObject({ ok: false, error: "weak_password", problem: "common" });

    const results = await Promise.all(
      Array.from({ length: 5 }, () => acceptInvitation({ token, password: STRONG_PASSWORD, request })),
    );
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, userId, email }]);
    expect(results.filter((r) => !r.ok)).toEqual(Array(4).fill({ ok: false, error: "invalid_or_expired" }));
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword(user.passwordHash!, STRONG_PASSWORD)).toBe(true);
    expect(await findInvitation(token)).toBeNull();
    expect(await acceptInvitation({ token, password: "another long passphrase", request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect(await db.auditEvent.count({ where: { type: "invitation.accepted", targetId: userId } })).toBe(1);
  });

  it("an expired or unknown link does nothing", async () => {
    const { userId, token } = await invite();
    await db.invitation.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findInvitation(token)).toBeNull();
    expect(await acceptInvitation({ token, password: STRONG_PASSWORD, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect(await acceptInvitation({ token: "made-up-token", password: STRONG_PASSWORD, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash).toBeNull();
  });
});

// An invitation that cannot be taken back, or an expired one that cannot be renewed,
// leaves either a stranger able to join or the invitee stuck.
describe("resending and revoking invitations", () => {
  async function invited() {
    const { admin, owner, member, accountId } = await org();
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
    const result = await inviteUser({ actor: admin, email, name: "Invitee", role: "MEMBER", request });
    if (!result.ok) throw new Error(result.error);
    const [message] = await emailsTo(result.userId);
    return {
      admin,
      owner,
      member,
      accountId,
      userId: result.userId,
      token: tokenFromInvitation(readMessageBody(message)!),
    };
  }

  async function state(userId: string) {
    return (await invitationStates([{ id: userId, passwordHash: null }])).get(userId);
  }

  it("resending sends a new link and kills the old one", async () => {
    const { admin, accountId, userId, token } = await invited();
    const resent = await resendInvitation({ actor: admin, userId, request });
    expect(resent).toMatchObject({ ok: true, emailed: true });
    const messages = await emailsTo(userId);
    expect(messages).toHaveLength(2);
    const fresh = tokenFromInvitation(readMessageBody(messages[1]!)!);
    expect(fresh).not.toBe(token);
    expect(await findInvitation(token)).toBeNull();
    expect(await acceptInvitation({ token, password: STRONG_PASSWORD, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect(await acceptInvitation({ token: fresh, password: STRONG_PASSWORD, request })).toMatchObject({ ok: true });
    expect((await eventsOf(accountId, "invitation.resent"))[0]).toMatchObject({
      actorId: admin.id,
      targetId: userId,
      data: { previousRevoked: 1 },
    });
  });

  it("an expired invitation shows as expired and can be sent again, valid for the full period", async () => {
    const { admin, userId } = await invited();
    await db.invitation.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await state(userId)).toMatchObject({ status: "expired" });
    expect(await resendInvitation({ actor: admin, userId, request })).toMatchObject({ ok: true });
    const now = await state(userId);
    expect(now?.status).toBe("pending");
    expect(now!.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * DAY - 60_000);
  });

  it("revoking kills the link at once; the person cannot join until sent a new one", async () => {
    const { admin, accountId, userId, token } = await invited();
    expect(await state(userId)).toMatchObject({ status: "pending" });
    expect(await revokeInvitation({ actor: admin, userId, request })).toEqual({ ok: true });
    expect(await state(userId)).toMatchObject({ status: "revoked" });
    expect(await findInvitation(token)).toBeNull();
    expect(await acceptInvitation({ token, password: STRONG_PASSWORD, request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash).toBeNull();
    expect(await revokeInvitation({ actor: admin, userId, request })).toEqual({ ok: false, error: "no_invitation" });
    expect(await eventsOf(accountId, "invitation.revoked")).toHaveLength(1);
  });

  it("a revocation racing an acceptance: exactly one wins", async () => {
    const { admin, userId, token } = await invited();
    const [accepted, revoked] = await Promise.all([
      acceptInvitation({ token, password: STRONG_PASSWORD, request }),
      revokeInvitation({ actor: admin, userId, request }),
    ]);
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    if (accepted.ok) {
      expect(revoked).toMatchObject({ ok: false });
      expect(user.passwordHash).not.toBeNull();
    } else {
      expect(revoked).toEqual({ ok: true });
      expect(user.passwordHash).toBeNull();
    }
  });

  it("refuses to resend or revoke for someone who has joined, or for members", async () => {
    const { admin, member, userId } = await invited();
    expect(await resendInvitation({ actor: admin, userId: member.id, request })).toEqual({
      ok: false,
      error: "already_joined",
    });
    expect(await revokeInvitation({ actor: member, userId, request })).toEqual({ ok: false, error: "forbidden" });
    expect(await resendInvitation({ actor: member, userId, request })).toEqual({ ok: false, error: "forbidden" });
  });

  it("accepting records the day they join, from which a late joiner's grace period runs", async () => {
    const { admin, accountId, userId, token } = await invited();
    await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 7,
      allowedMethods: ["totp"],
      lockoutThreshold: 10,
      request,
    });
    // Enforcement began ten days ago: the account's own deadline has passed.
    const since = new Date(Date.now() - 10 * DAY);
    await db.account.update({ where: { id: accountId }, data: { enforceSince: since } });
    await acceptInvitation({ token, password: STRONG_PASSWORD, request });
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true, ...methodFacts } });
    expect(Date.now() - user.joinedAt!.getTime()).toBeLessThan(60_000);
    const requirement = twoFactorRequirement({ user, account: user.account });
    expect(requirement.state).toBe("grace");
    expect(requirement.deadline!.getTime()).toBe(user.joinedAt!.getTime() + 7 * DAY);
  });

  it("the invitation says when 2FA is required and how long a newcomer has", async () => {
    const { admin } = await org();
    await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 5,
      allowedMethods: ["totp"],
      lockoutThreshold: 10,
      request,
    });
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
    const result = await inviteUser({ actor: admin, email, name: "Invitee", role: "MEMBER", request });
    if (!result.ok) throw new Error(result.error);
    const [message] = await emailsTo(result.userId);
    expect(readMessageBody(message!)).toContain("requires two-factor authentication");
    expect(readMessageBody(message!)).toContain("You have 5 days from the day you join to set it up");
  });

  it("the invitation lists the methods the account allows, passkeys included, and nothing it does not", async () => {
    const { admin } = await org();
    await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 5,
      allowedMethods: ["passkey", "totp", "email"],
      lockoutThreshold: 10,
      request,
    });
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
    const result = await inviteUser({ actor: admin, email, name: "Invitee", role: "MEMBER", request });
    if (!result.ok) throw new Error(result.error);
    const [message] = await emailsTo(result.userId);
    const body = readMessageBody(message!)!.replaceAll(/\s+/g, " ");
    expect(body).toContain(
      "each sign-in asks for one of these: a passkey or security key; a code from an authenticator app; a code by email.",
    );
    expect(body).not.toContain("text");
  });

  it("an invited admin of an account requiring passkeys of admins is told a passkey is required", async () => {
    const { admin } = await org();
    await updateEnforcement({
      actor: admin,
      enabled: false,
      graceDays: 3,
      allowedMethods: ["passkey", "totp"],
      lockoutThreshold: 10,
      requirePasskey: "admins",
      request,
    });
    const invite = async (role: "ADMIN" | "MEMBER") => {
      const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
      const result = await inviteUser({ actor: admin, email, name: "Invitee", role, request });
      if (!result.ok) throw new Error(result.error);
      const [message] = await emailsTo(result.userId);
      return readMessageBody(message!)!.replaceAll(/\s+/g, " ");
    };
    const invitedAdmin = await invite("ADMIN");
    expect(invitedAdmin).toContain("requires you to sign in with a passkey or security key");
    expect(invitedAdmin).toContain("You have 3 days from the day you join to set it up");
    expect(await invite("MEMBER")).not.toContain("passkey");
  });

  it("when 2FA becomes required, someone invited who has not joined is given days after joining, not the account's date", async () => {
    const { admin, member } = await org();
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
    const invited = await inviteUser({ actor: admin, email, name: "Invitee", role: "MEMBER", request });
    if (!invited.ok) throw new Error(invited.error);
    await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 7,
      allowedMethods: ["totp"],
      lockoutThreshold: 10,
      request,
    });
    const account = await db.account.findUniqueOrThrow({ where: { id: member.accountId } });
    const accountDeadline = formatDateTime(new Date(account.enforceSince!.getTime() + 7 * DAY));
    const requiredOf = async (userId: string) => {
      const messages = await emailsTo(userId);
      const message = messages.find((m) => m.subject?.endsWith("now requires two-factor authentication"));
      return readMessageBody(message!)!.replaceAll(/\s+/g, " ");
    };
    const toInvitee = await requiredOf(invited.userId);
    expect(toInvitee).toContain("You have 7 days from the day you join to set it up");
    expect(toInvitee).not.toContain(accountDeadline);
    // Someone who has joined keeps the account's date.
    expect(await requiredOf(member.id)).toContain(`Please set it up before ${accountDeadline}.`);
  });
});
