// Property: 2FA enforcement emails exactly the users without it and commits with its audit event or not at all; a shorter session length caps sessions.
import { describe, expect, it, vi } from "vitest";
import { updateEnforcement, updateSessionDuration } from "@/lib/account/settings";
import { audit, auditData } from "@/lib/audit/record";
import { formatDateTime } from "@/lib/format/user-agent";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { DAY, eventsOf, org, withTwoFactor } from "../admin-fixtures";
import { createUser, request } from "../factories";

// The audit writer is wrapped so one test can make it fail and prove that the change it
// records rolls back with it.
vi.mock("@/lib/audit/record", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/audit/record")>();
  return { ...original, audit: vi.fn(original.audit) };
});

describe("account-wide enforcement", () => {
  it("turning it on emails exactly the users without 2FA, with the link and the deadline", async () => {
    const { owner, admin, member, accountId } = await org();
    const exempt = await createUser({ role: "MEMBER", accountId });
    const disabled = await createUser({ role: "MEMBER", accountId });
    await withTwoFactor(owner.id, "totp");
    await withTwoFactor(member.id, "sms");
    await db.user.update({ where: { id: exempt.id }, data: { twoFactorExempt: true } });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });

    const before = Date.now();
    const result = await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 14,
      allowedMethods: ["totp", "sms"],
      lockoutThreshold: 5,
      request,
    });
    expect(result).toEqual({ ok: true, emailed: 1 });

    const account = await db.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(account).toMatchObject({
      enforceTwoFactor: true,
      enforceGraceDays: 14,
      allowedMethods: ["totp", "sms"],
      lockoutThreshold: 5,
    });
    expect(account.enforceSince!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const sent = await db.outboundMessage.findMany({ where: { user: { accountId } } });
    expect(sent.map((m) => m.userId)).toEqual([admin.id]);
    expect(sent[0]).toMatchObject({ provider: "outbox", status: "sent", to: admin.email });
    expect(readMessageBody(sent[0])).toContain("/profile");
    const deadline = new Date(account.enforceSince!.getTime() + 14 * DAY);
    expect(readMessageBody(sent[0])).toContain(formatDateTime(deadline));

    const [event] = await eventsOf(accountId, "enforcement.changed");
    expect(event).toMatchObject({ actorId: admin.id, ip: request.ip, userAgent: request.userAgent });
    expect(auditData(event)).toMatchObject({
      enabled: true,
      graceDays: 14,
      allowedMethods: "totp,sms",
      notified: 1,
    });
  });

  it("commits the change and its audit event together, or neither", async () => {
    const { admin, accountId } = await org();
    vi.mocked(audit).mockRejectedValueOnce(new Error("audit store unavailable"));
    await expect(
      updateEnforcement({
        actor: admin,
        enabled: true,
        graceDays: 0,
        allowedMethods: ["totp"],
        lockoutThreshold: 10,
        request,
      }),
    ).rejects.toThrow("audit store unavailable");
    expect(await db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      enforceTwoFactor: false,
      enforceSince: null,
    });
    expect(await db.outboundMessage.count({ where: { user: { accountId } } })).toBe(0);
  });

  it("keeps the start date while on, does not email again, and clears it when turned off", async () => {
    const { admin, accountId } = await org();
    await updateEnforcement({
      actor: admin,
      enabled: true,
      graceDays: 3,
      allowedMethods: ["totp", "sms", "email"],
      lockoutThreshold: 10,
      request,
    });
    const { enforceSince } = await db.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(
      await updateEnforcement({
        actor: admin,
        enabled: true,
        graceDays: 10,
        allowedMethods: ["email"],
        lockoutThreshold: 10,
        request,
      }),
    ).toEqual({ ok: true, emailed: 0 });
    expect((await db.account.findUniqueOrThrow({ where: { id: accountId } })).enforceSince).toEqual(enforceSince);
    expect(
      await updateEnforcement({
        actor: admin,
        enabled: false,
        graceDays: 10,
        allowedMethods: ["email"],
        lockoutThreshold: 10,
        request,
      }),
    ).toEqual({ ok: true, emailed: 0 });
    expect(await db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      enforceTwoFactor: false,
      enforceSince: null,
    });
    expect(await eventsOf(accountId, "enforcement.changed")).toHaveLength(3);
  });

  it("rejects out-of-range settings", async () => {
    const { admin } = await org();
    const valid = {
      actor: admin,
      enabled: true,
      graceDays: 0,
      allowedMethods: ["totp" as const],
      lockoutThreshold: 10,
      request,
    };
    for (const input of [
      { ...valid, graceDays: -1 },
      { ...valid, graceDays: 366 },
      { ...valid, graceDays: 1.5 },
      { ...valid, allowedMethods: [] },
      { ...valid, allowedMethods: ["totp", "voice"] as never },
      { ...valid, lockoutThreshold: 2 },
      { ...valid, lockoutThreshold: 101 },
    ]) {
      expect(await updateEnforcement(input)).toEqual({ ok: false, error: "invalid_input" });
    }
  });
});

describe("session duration", () => {
  it("changes the duration, caps existing sessions, and is audited", async () => {
    const { admin, member, accountId } = await org();
    const now = new Date();
    const { token } = await createSession(db, { userId: member.id, request, now });
    expect(await updateSessionDuration({ actor: admin, days: 7, request })).toEqual({ ok: true });
    expect((await db.account.findUniqueOrThrow({ where: { id: accountId } })).sessionDurationDays).toBe(7);
    expect(await validateSessionToken(token, new Date(now.getTime() + 8 * DAY))).toBeNull();
    expect(auditData((await eventsOf(accountId, "sessions.duration_changed"))[0])!).toEqual({ from: 90, to: 7 });
    expect(await updateSessionDuration({ actor: admin, days: 0, request })).toEqual({
      ok: false,
      error: "invalid_input",
    });
    expect(await updateSessionDuration({ actor: admin, days: 366, request })).toEqual({
      ok: false,
      error: "invalid_input",
    });
  });
});
