import { describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { db } from "@/lib/db";
import { acceptInvitation, findInvitation, inviteUser } from "@/lib/invitations";
import { readMessageBody } from "@/lib/outbox";
import { verifyPassword } from "@/lib/password";
import { DAY, emailsTo, eventsOf, org, STRONG_PASSWORD, tokenFromInvitation } from "./admin-fixtures";
import { createUser, request } from "./factories";

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
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, userId }]);
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
