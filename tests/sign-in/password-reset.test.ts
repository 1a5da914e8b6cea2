// Property: a password reset link works once, for an hour, ends every session and pending sign-in, leaves 2FA on, and tells no one who has an account.
import { describe, expect, it } from "vitest";
import { readMessageBody } from "@/lib/messages/outbox";
import { changePassword } from "@/lib/people/profile";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import {
  allowPasswordResetRequest,
  findPasswordReset,
  resetPassword,
  sendPasswordResetLink,
} from "@/lib/sign-in/password-reset";
import { passwordStep } from "@/lib/sign-in/password-step";
import { createUser, createUserWithTotp, request, TEST_PASSWORD, uniqueEmail } from "../factories";
import { newIp } from "./helpers";

const NEW_PASSWORD = "a brand new lighthouse keeper";

async function linkToken(email: string) {
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { to: email, subject: "Reset your StrongSign password" },
    orderBy: { createdAt: "desc" },
  });
  return readMessageBody(message)!.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
}

describe("forgot password", () => {
  it("emails a link to an active user, and only the token's hash is stored", async () => {
    const user = await createUser();
    await sendPasswordResetLink({ email: ` ${user.email.toUpperCase()} `, request });
    const token = await linkToken(user.email);
    expect(await findPasswordReset(token)).toEqual({ email: user.email });
    const stored = await db.passwordReset.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).not.toContain(token);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "password.reset_requested" } })).toBe(1);
  });

  it("sends nothing for an unknown address, a disabled user or an invited user without a password", async () => {
    const disabled = await createUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const invited = await createUser();
    await db.user.update({ where: { id: invited.id }, data: { passwordHash: null } });
    const unknown = uniqueEmail("nobody");
    for (const email of [unknown, disabled.email, invited.email]) await sendPasswordResetLink({ email, request });
    expect(await db.outboundMessage.count({ where: { to: { in: [unknown, disabled.email, invited.email] } } })).toBe(0);
  });

  it("limits requests per address whether or not it has an account", async () => {
    const email = uniqueEmail("limited");
    const now = new Date();
    const ip = { ...request, ip: newIp() };
    for (let i = 0; i < 3; i++) expect((await allowPasswordResetRequest({ email, request: ip, now })).ok).toBe(true);
    expect(await allowPasswordResetRequest({ email: email.toUpperCase(), request: ip, now })).toMatchObject({
      ok: false,
    });
    expect(
      (await allowPasswordResetRequest({ email, request: ip, now: new Date(now.getTime() + 60 * 60_000 + 1) })).ok,
    ).toBe(true);
  });

  it("sets the new password, ends every session and pending sign-in, and leaves 2FA on", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    await createSession(db, { userId: user.id, request });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "totp", request });
    await sendPasswordResetLink({ email: user.email, request });
    expect(await resetPassword({ token: await linkToken(user.email), password: NEW_PASSWORD, request })).toEqual({
      ok: true,
    });

    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.id } })).consumedAt).not.toBeNull();
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.twoFactorMethod).toBe("totp");
    expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(1);
    expect(await passwordStep({ email: user.email, password: TEST_PASSWORD, request })).toMatchObject({
      ok: false,
      error: "invalid_credentials",
    });
    expect(await passwordStep({ email: user.email, password: NEW_PASSWORD, request })).toMatchObject({
      ok: true,
      pendingFactor: "totp",
    });
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: "Your StrongSign password was changed" } }),
    ).toBe(1);
  });

  it("works once, also when submitted several times at once, and earlier links die with it", async () => {
    const user = await createUser();
    await sendPasswordResetLink({ email: user.email, request });
    const older = await linkToken(user.email);
    await sendPasswordResetLink({ email: user.email, request });
    const newer = await linkToken(user.email);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => resetPassword({ token: newer, password: NEW_PASSWORD, request })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await findPasswordReset(newer)).toBeNull();
    expect(await resetPassword({ token: older, password: "another fine password here", request })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
  });

  it("refuses a weak password and changes nothing; the link still works", async () => {
    const user = await createUser();
    await sendPasswordResetLink({ email: user.email, request });
    const token = await linkToken(user.email);
    expect(await resetPassword({ token, password: "password1234", request })).toEqual({
      ok: false,
      error: "weak_password",
      problem: "common",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);
    expect(await findPasswordReset(token)).toEqual({ email: user.email });
  });

  it("expires after an hour, and a password change kills unused links", async () => {
    const user = await createUser();
    const start = new Date();
    await sendPasswordResetLink({ email: user.email, request, now: start });
    const token = await linkToken(user.email);
    expect(await findPasswordReset(token, new Date(start.getTime() + 60 * 60_000 + 1))).toBeNull();
    expect(await findPasswordReset(token, start)).not.toBeNull();
    const { session } = await createSession(db, { userId: user.id, request });
    expect(
      (
        await changePassword({
          userId: user.id,
          sessionId: session.id,
          currentPassword: TEST_PASSWORD,
          newPassword: NEW_PASSWORD,
          request,
        })
      ).ok,
    ).toBe(true);
    expect(await findPasswordReset(token, start)).toBeNull();
  });

  it("refuses tokens that are not ours, of any shape", async () => {
    for (const token of ["", "x", "a".repeat(10_000), "../../etc/passwd"]) {
      expect(await resetPassword({ token, password: NEW_PASSWORD, request })).toEqual({
        ok: false,
        error: "invalid_or_expired",
      });
    }
  });
});
