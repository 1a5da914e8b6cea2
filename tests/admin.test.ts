import { describe, expect, it, vi } from "vitest";
import {
  acceptInvitation,
  changeRole,
  clearAllSessions,
  expireSessions,
  findInvitation,
  getUserForAdmin,
  inviteUser,
  listAuditEvents,
  listUsers,
  resetTwoFactor,
  setDisabled,
  setExemption,
  setTwoFactorPreference,
  unlockUser,
  updateEnforcement,
  updateSessionDuration,
} from "@/lib/admin";
import { audit, auditData } from "@/lib/audit";
import { hashToken } from "@/lib/crypto";
import { db } from "@/lib/db";
import { createLoginChallenge } from "@/lib/login-challenge";
import type { TwoFactorMethod } from "@/lib/methods";
import { readMessageBody } from "@/lib/outbox";
import { verifyPassword } from "@/lib/password";
import { createSession, validateSessionToken } from "@/lib/session";
import { formatDateTime } from "@/lib/user-agent";
import { createUser, request } from "./factories";

// The audit writer is wrapped so one test can make it fail and prove that the change it
// records rolls back with it.
vi.mock("@/lib/audit", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/audit")>();
  return { ...original, audit: vi.fn(original.audit) };
});

const DAY = 24 * 60 * 60_000;
const STRONG_PASSWORD = "a long and unusual passphrase";

// An account with an owner, an admin and a member; nobody has 2FA yet.
async function org() {
  const owner = await createUser({ role: "OWNER" });
  const admin = await createUser({ role: "ADMIN", accountId: owner.accountId });
  const member = await createUser({ role: "MEMBER", accountId: owner.accountId });
  return { owner, admin, member, accountId: owner.accountId };
}

function withTwoFactor(userId: string, method: TwoFactorMethod = "totp") {
  return db.user.update({ where: { id: userId }, data: { twoFactorMethod: method, twoFactorEnabledAt: new Date() } });
}

function eventsOf(accountId: string, type: string) {
  return db.auditEvent.findMany({ where: { accountId, type } });
}

function emailsTo(userId: string) {
  return db.outboundMessage.findMany({ where: { userId, channel: "email" }, orderBy: { createdAt: "asc" } });
}

function tokenFromInvitation(body: string) {
  const match = body.match(/\/invite\/([A-Za-z0-9_-]+)/);
  if (!match) throw new Error("no invitation link in the email");
  return match[1];
}

// Every action that names a target user, with harmless arguments.
const targeted = {
  setExemption: (actor: Actor, userId: string) => setExemption({ actor, userId, exempt: true, request }),
  changeRole: (actor: Actor, userId: string) => changeRole({ actor, userId, role: "ADMIN", request }),
  unlockUser: (actor: Actor, userId: string) => unlockUser({ actor, userId, request }),
  resetTwoFactor: (actor: Actor, userId: string) => resetTwoFactor({ actor, userId, request }),
  expireSessions: (actor: Actor, userId: string) => expireSessions({ actor, userId, request }),
  setDisabled: (actor: Actor, userId: string) => setDisabled({ actor, userId, disabled: true, request }),
  setTwoFactorPreference: (actor: Actor, userId: string) =>
    setTwoFactorPreference({ actor, userId, method: "email", request }),
  getUserForAdmin: (actor: Actor, userId: string) => getUserForAdmin({ actor, userId }),
};
type Actor = { id: string; accountId: string };

// Privilege escalation: a member (or a disabled or stale admin) calling the admin layer
// directly, e.g. through a server action whose guard was forgotten.
describe("who may administer", () => {
  it("refuses members, for every action", async () => {
    const { member, admin, accountId } = await org();
    const results = [
      ...(await Promise.all(Object.values(targeted).map((fn) => fn(member, admin.id)))),
      await updateEnforcement({
        actor: member,
        enabled: true,
        graceDays: 0,
        allowedMethods: ["totp"],
        lockoutThreshold: 10,
        request,
      }),
      await updateSessionDuration({ actor: member, days: 1, request }),
      await listUsers({ actor: member }),
      await clearAllSessions({ actor: member, request }),
      await inviteUser({ actor: member, email: "new-person@example.test", name: "New", role: "ADMIN", request }),
      await listAuditEvents({ actor: member, page: 1, pageSize: 10 }),
    ];
    for (const result of results) expect(result).toEqual({ ok: false, error: "forbidden" });
    const after = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(after.disabledAt).toBeNull();
    expect(after.twoFactorExempt).toBe(false);
    expect(await db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      enforceTwoFactor: false,
      sessionDurationDays: 90,
    });
  });

  it("re-reads the actor: a disabled or demoted admin, or one claiming another account, is refused", async () => {
    const { admin, member } = await org();
    const stranger = await createUser({ role: "OWNER" });
    await db.user.update({ where: { id: admin.id }, data: { role: "MEMBER" } });
    expect(await unlockUser({ actor: admin, userId: member.id, request })).toEqual({ ok: false, error: "forbidden" });
    await db.user.update({ where: { id: admin.id }, data: { role: "ADMIN", disabledAt: new Date() } });
    expect(await unlockUser({ actor: admin, userId: member.id, request })).toEqual({ ok: false, error: "forbidden" });
    expect(await listUsers({ actor: { ...stranger, accountId: member.accountId } })).toEqual({
      ok: false,
      error: "forbidden",
    });
  });
});

// Cross-tenant access (SPEC §1): an admin of account A passing the id of a user in
// account B. Nothing of B may be read or changed, and B's users look like unknown ids.
describe("account isolation", () => {
  it("an admin of one account cannot see or touch a user of another", async () => {
    const a = await org();
    const b = await org();
    await withTwoFactor(b.member.id);
    const session = await createSession(db, { userId: b.member.id, request });
    for (const [name, fn] of Object.entries(targeted)) {
      expect(await fn(a.admin, b.member.id), name).toEqual({ ok: false, error: "not_found" });
      expect(await fn(a.owner, b.owner.id), name).toEqual({ ok: false, error: "not_found" });
    }
    const after = await db.user.findUniqueOrThrow({ where: { id: b.member.id } });
    expect(after).toMatchObject({ role: "MEMBER", disabledAt: null, twoFactorExempt: false, twoFactorMethod: "totp" });
    expect(await validateSessionToken(session.token)).not.toBeNull();
    expect(await db.auditEvent.count({ where: { accountId: { in: [a.accountId, b.accountId] } } })).toBe(0);

    const listed = await listUsers({ actor: a.admin });
    expect(listed.ok && listed.users.map((u) => u.id).sort()).toEqual([a.owner.id, a.admin.id, a.member.id].sort());
  });

  it("clearing all sessions ends only the admin's own account's sessions", async () => {
    const a = await org();
    const b = await org();
    const theirs = await createSession(db, { userId: b.member.id, request });
    await clearAllSessions({ actor: a.admin, request });
    expect(await validateSessionToken(theirs.token)).not.toBeNull();
  });
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
      allowedMethods: "totp,sms",
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
    expect(auditData(event)!).toMatchObject({
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

describe("users list", () => {
  it("shows each user's 2FA status, compliance, lock and disabled state, and filters the non-compliant", async () => {
    const { owner, admin, member, accountId } = await org();
    const sms = await createUser({ role: "MEMBER", accountId });
    const exempt = await createUser({ role: "MEMBER", accountId });
    const disabled = await createUser({ role: "MEMBER", accountId });
    await withTwoFactor(owner.id, "totp");
    await withTwoFactor(sms.id, "sms");
    await db.user.update({ where: { id: exempt.id }, data: { twoFactorExempt: true } });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    await db.user.update({
      where: { id: member.id },
      data: { secondFactorLockedUntil: new Date(Date.now() + 60_000), lastSignInAt: new Date() },
    });
    await db.user.update({ where: { id: admin.id }, data: { secondFactorLockedUntil: new Date(Date.now() - 60_000) } });

    const before = await listUsers({ actor: admin });
    if (!before.ok) throw new Error(before.error);
    const byId = Object.fromEntries(before.users.map((u) => [u.id, u]));
    expect(byId[owner.id]).toMatchObject({
      twoFactorStatus: "app",
      compliant: true,
      role: "OWNER",
      email: owner.email,
      name: owner.name,
    });
    expect(byId[sms.id]).toMatchObject({ twoFactorStatus: "sms", compliant: true });
    expect(byId[exempt.id]).toMatchObject({ twoFactorStatus: "exempt", exempt: true, compliant: true });
    expect(byId[member.id]).toMatchObject({ twoFactorStatus: "none", compliant: true, locked: true });
    expect(byId[member.id].lastSignInAt).toBeInstanceOf(Date);
    expect(byId[admin.id]).toMatchObject({ locked: false, disabled: false, lastSignInAt: null });
    expect(byId[disabled.id]).toMatchObject({ disabled: true });

    await db.account.update({
      where: { id: accountId },
      data: { enforceTwoFactor: true, enforceSince: new Date(), enforceGraceDays: 5, allowedMethods: "totp,email" },
    });
    const after = await listUsers({ actor: admin, filter: "not_compliant" });
    // The SMS user no longer complies once SMS is not allowed; disabled users are left out.
    expect(after.ok && after.users.map((u) => u.id).sort()).toEqual([admin.id, member.id, sms.id].sort());
    const all = await listUsers({ actor: admin, filter: "all" });
    expect(all.ok && all.users.find((u) => u.id === member.id)).toMatchObject({
      compliant: false,
      deadline: expect.any(Date),
    });
  });
});

describe("exemptions", () => {
  it("exempts and un-exempts a user, audited each time", async () => {
    const { admin, member, accountId } = await org();
    expect(await setExemption({ actor: admin, userId: member.id, exempt: true, request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).twoFactorExempt).toBe(true);
    expect(await setExemption({ actor: admin, userId: member.id, exempt: false, request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).twoFactorExempt).toBe(false);
    const events = await eventsOf(accountId, "exemption.changed");
    expect(events.map((e) => [e.targetId, auditData(e)!.exempt]).sort()).toEqual([
      [member.id, false],
      [member.id, true],
    ]);
  });

  it("an admin cannot weaken the owner's sign-in; the owner can", async () => {
    const { owner, admin } = await org();
    await withTwoFactor(owner.id);
    expect(await setExemption({ actor: admin, userId: owner.id, exempt: true, request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect(await resetTwoFactor({ actor: admin, userId: owner.id, request })).toEqual({ ok: false, error: "owner" });
    expect(await setTwoFactorPreference({ actor: admin, userId: owner.id, method: "email", request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({
      twoFactorExempt: false,
      twoFactorMethod: "totp",
    });
    expect(await setExemption({ actor: owner, userId: owner.id, exempt: true, request })).toEqual({ ok: true });
  });
});

describe("roles", () => {
  it("promotes and demotes, audited with the old and new role", async () => {
    const { owner, admin, member, accountId } = await org();
    expect(await changeRole({ actor: admin, userId: member.id, role: "ADMIN", request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("ADMIN");
    expect(await changeRole({ actor: owner, userId: member.id, role: "MEMBER", request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("MEMBER");
    const events = await eventsOf(accountId, "user.role_changed");
    expect(
      events.map((e) => auditData(e) as { from: string; to: string }).sort((x, y) => x.to.localeCompare(y.to)),
    ).toEqual([
      { from: "MEMBER", to: "ADMIN" },
      { from: "ADMIN", to: "MEMBER" },
    ]);
    expect(await changeRole({ actor: admin, userId: member.id, role: "OWNER" as never, request })).toEqual({
      ok: false,
      error: "invalid_input",
    });
  });

  it("never changes the owner's role", async () => {
    const { owner, admin } = await org();
    expect(await changeRole({ actor: admin, userId: owner.id, role: "MEMBER", request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect(await changeRole({ actor: owner, userId: owner.id, role: "ADMIN", request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id } })).role).toBe("OWNER");
  });
});

// Lock-out of the account itself: demoting or disabling the only administrator who has
// a second factor, after which nobody may be able to administer under the policy.
describe("last admin with 2FA", () => {
  it("cannot be demoted or disabled while no other enabled admin has 2FA", async () => {
    const { admin, accountId } = await org();
    const second = await createUser({ role: "ADMIN", accountId });
    await withTwoFactor(admin.id);
    expect(await changeRole({ actor: second, userId: admin.id, role: "MEMBER", request })).toEqual({
      ok: false,
      error: "last_admin",
    });
    expect(await changeRole({ actor: admin, userId: admin.id, role: "MEMBER", request })).toEqual({
      ok: false,
      error: "last_admin",
    });
    expect(await setDisabled({ actor: second, userId: admin.id, disabled: true, request })).toEqual({
      ok: false,
      error: "last_admin",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("ADMIN");

    // An admin without 2FA is not protected by the rule.
    expect(await changeRole({ actor: admin, userId: second.id, role: "MEMBER", request })).toEqual({ ok: true });

    // A disabled admin with 2FA does not count as the other one.
    const disabledAdmin = await createUser({ role: "ADMIN", accountId });
    await withTwoFactor(disabledAdmin.id);
    await db.user.update({ where: { id: disabledAdmin.id }, data: { disabledAt: new Date() } });
    const third = await createUser({ role: "ADMIN", accountId });
    expect(await setDisabled({ actor: third, userId: admin.id, disabled: true, request })).toEqual({
      ok: false,
      error: "last_admin",
    });

    // Once another enabled admin has 2FA, the first may go.
    await withTwoFactor(third.id, "email");
    expect(await changeRole({ actor: third, userId: admin.id, role: "MEMBER", request })).toEqual({ ok: true });
  });

  it("an owner with 2FA counts, so admins can then be demoted", async () => {
    const { owner, admin } = await org();
    await withTwoFactor(owner.id);
    await withTwoFactor(admin.id);
    expect(await changeRole({ actor: owner, userId: admin.id, role: "MEMBER", request })).toEqual({ ok: true });
  });

  // Each request alone passes the rule; together they would leave no admin with 2FA.
  // Several rounds, because a race that is lost only sometimes must still be caught.
  it("holds when two admins demote or disable each other at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      const { admin, accountId } = await org();
      const other = await createUser({ role: "ADMIN", accountId });
      await withTwoFactor(admin.id);
      await withTwoFactor(other.id);
      const results = await Promise.all([
        changeRole({ actor: admin, userId: other.id, role: "MEMBER", request }),
        round % 2
          ? setDisabled({ actor: other, userId: admin.id, disabled: true, request })
          : changeRole({ actor: other, userId: admin.id, role: "MEMBER", request }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(
        await db.user.count({
          where: { accountId, role: { in: ["OWNER", "ADMIN"] }, disabledAt: null, twoFactorMethod: { not: null } },
        }),
      ).toBe(1);
    }
  });
});

describe("unlock", () => {
  it("clears the lockout and the failure count, audited", async () => {
    const { admin, member, accountId } = await org();
    await db.user.update({
      where: { id: member.id },
      data: { failedSecondFactorCount: 10, secondFactorLockedUntil: new Date(Date.now() + 15 * 60_000) },
    });
    expect(await unlockUser({ actor: admin, userId: member.id, request })).toEqual({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      failedSecondFactorCount: 0,
      secondFactorLockedUntil: null,
    });
    expect(await eventsOf(accountId, "user.unlocked")).toHaveLength(1);
  });
});

describe("reset 2FA", () => {
  it("removes every trace of the factor, ends sessions and pending sign-ins, audits and emails", async () => {
    const { admin, member, accountId } = await org();
    await withTwoFactor(member.id);
    await db.totpCredential.create({ data: { userId: member.id, encryptedSecret: "v1:x:y:z:w" } });
    await db.totpSetup.create({
      data: { userId: member.id, encryptedSecret: "v1:x:y:z:w", expiresAt: new Date(Date.now() + 60_000) },
    });
    await db.recoveryCode.create({
      data: { userId: member.id, lookupHash: hashToken(member.id), encryptedCode: "v1:x:y:z:w", position: 0 },
    });
    const session = await createSession(db, { userId: member.id, request });
    const challenge = await createLoginChallenge(db, { userId: member.id, pendingFactor: "totp", request });

    expect(await resetTwoFactor({ actor: admin, userId: member.id, request })).toEqual({ ok: true });

    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      twoFactorMethod: null,
      twoFactorEnabledAt: null,
    });
    expect(await db.totpCredential.count({ where: { userId: member.id } })).toBe(0);
    expect(await db.totpSetup.count({ where: { userId: member.id } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: member.id } })).toBe(0);
    expect(await validateSessionToken(session.token)).toBeNull();
    expect(
      (await db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.challenge.id } })).consumedAt,
    ).not.toBeNull();
    const [event] = await eventsOf(accountId, "two_factor.reset");
    expect(event).toMatchObject({ actorId: admin.id, targetId: member.id });
    const [email] = await emailsTo(member.id);
    expect(email).toMatchObject({ to: member.email, provider: "outbox" });
    expect(email.subject).toMatch(/reset/i);
  });
});

describe("sessions", () => {
  it("expire sessions ends all of one user's sessions and nobody else's", async () => {
    const { admin, member, accountId } = await org();
    const one = await createSession(db, { userId: member.id, request });
    const two = await createSession(db, { userId: member.id, request });
    const admins = await createSession(db, { userId: admin.id, request });
    expect(await expireSessions({ actor: admin, userId: member.id, request })).toEqual({ ok: true, count: 2 });
    expect(await validateSessionToken(one.token)).toBeNull();
    expect(await validateSessionToken(two.token)).toBeNull();
    expect(await validateSessionToken(admins.token)).not.toBeNull();
    expect(auditData((await eventsOf(accountId, "sessions.expired"))[0])!).toEqual({ count: 2 });
  });

  it("clear all sessions ends every session in the account, the admin's included", async () => {
    const { owner, admin, member, accountId } = await org();
    const tokens = await Promise.all(
      [owner, admin, member].map(async (u) => (await createSession(db, { userId: u.id, request })).token),
    );
    const pending = await createLoginChallenge(db, { userId: member.id, pendingFactor: null, request });
    expect(await clearAllSessions({ actor: admin, request })).toEqual({ ok: true, count: 3, tokensRevoked: 0 });
    for (const token of tokens) expect(await validateSessionToken(token)).toBeNull();
    expect(
      (await db.loginChallenge.findUniqueOrThrow({ where: { id: pending.challenge.id } })).consumedAt,
    ).not.toBeNull();
    expect(await eventsOf(accountId, "sessions.cleared")).toHaveLength(1);
  });
});

describe("disable and enable", () => {
  it("disabling signs the user out and blocks them; enabling lets them back; both audited", async () => {
    const { admin, member, accountId } = await org();
    const session = await createSession(db, { userId: member.id, request });
    expect(await setDisabled({ actor: admin, userId: member.id, disabled: true, request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).disabledAt).not.toBeNull();
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
    expect(await validateSessionToken(session.token)).toBeNull();
    expect(await setDisabled({ actor: admin, userId: member.id, disabled: false, request })).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).disabledAt).toBeNull();
    expect(await eventsOf(accountId, "user.disabled")).toHaveLength(1);
    expect(await eventsOf(accountId, "user.enabled")).toHaveLength(1);
  });

  it("never disables the owner, nor the admin themselves", async () => {
    const { owner, admin } = await org();
    expect(await setDisabled({ actor: admin, userId: owner.id, disabled: true, request })).toEqual({
      ok: false,
      error: "owner",
    });
    expect(await setDisabled({ actor: admin, userId: admin.id, disabled: true, request })).toEqual({
      ok: false,
      error: "self",
    });
    expect(await db.user.count({ where: { id: { in: [owner.id, admin.id] }, disabledAt: { not: null } } })).toBe(0);
  });
});

describe("2FA preference set by an admin", () => {
  it("sets SMS with an E.164 phone, or email, within the allowed methods", async () => {
    const { admin, member, accountId } = await org();
    expect(
      await setTwoFactorPreference({ actor: admin, userId: member.id, method: "sms", phone: "07700 900123", request }),
    ).toEqual({ ok: false, error: "invalid_phone" });
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: "sms", request })).toEqual({
      ok: false,
      error: "phone_required",
    });
    expect(
      await setTwoFactorPreference({ actor: admin, userId: member.id, method: "sms", phone: "+447700900123", request }),
    ).toEqual({ ok: true, method: "sms" });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      twoFactorMethod: "sms",
      phone: "+447700900123",
      phoneVerifiedAt: null,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).twoFactorEnabledAt).not.toBeNull();

    await db.account.update({ where: { id: accountId }, data: { allowedMethods: "totp,sms" } });
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: "email", request })).toEqual({
      ok: false,
      error: "method_not_allowed",
    });
    await db.account.update({ where: { id: accountId }, data: { allowedMethods: "totp,email" } });
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: "email", request })).toEqual({
      ok: true,
      method: "email",
    });
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: null, request })).toEqual({
      ok: true,
      method: null,
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      twoFactorMethod: null,
      twoFactorEnabledAt: null,
    });

    const events = await eventsOf(accountId, "two_factor.preference_changed");
    expect(events.map((e) => auditData(e)!.to).sort()).toEqual(["email", "sms", null].sort());
  });

  it("no preference leaves a user's authenticator app alone; an explicit method replaces it", async () => {
    const { admin, member } = await org();
    await withTwoFactor(member.id, "totp");
    await db.totpCredential.create({ data: { userId: member.id, encryptedSecret: "v1:x:y:z:w" } });
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: null, request })).toEqual({
      ok: true,
      method: "totp",
    });
    expect(await db.totpCredential.count({ where: { userId: member.id } })).toBe(1);
    expect(await setTwoFactorPreference({ actor: admin, userId: member.id, method: "email", request })).toEqual({
      ok: true,
      method: "email",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).twoFactorMethod).toBe("email");
    expect(await db.totpCredential.count({ where: { userId: member.id } })).toBe(0);
  });
});

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

describe("audit log", () => {
  it("lists the actor's account only, newest first, paginated and filtered, with names", async () => {
    const { admin, member, accountId } = await org();
    const other = await org();
    const base = Date.now() - 60 * 60_000;
    for (let i = 0; i < 7; i++) {
      await db.auditEvent.create({
        data: {
          accountId,
          type: i % 2 ? "sign_in.failed" : "sign_in.succeeded",
          actorId: i < 5 ? member.id : admin.id,
          targetId: member.id,
          ip: `198.51.100.${i}`,
          createdAt: new Date(base + i * 1000),
        },
      });
    }
    await db.auditEvent.create({
      data: { accountId: other.accountId, type: "sign_in.failed", actorId: other.member.id, targetId: other.member.id },
    });

    const first = await listAuditEvents({ actor: admin, page: 1, pageSize: 3 });
    if (!first.ok) throw new Error(first.error);
    expect(first.total).toBe(7);
    expect(first.events.map((e) => e.ip)).toEqual(["198.51.100.6", "198.51.100.5", "198.51.100.4"]);
    expect(first.events[0]).toMatchObject({
      actor: { id: admin.id, name: admin.name, email: admin.email },
      target: { id: member.id, email: member.email },
    });
    const third = await listAuditEvents({ actor: admin, page: 3, pageSize: 3 });
    expect(third.ok && third.events.map((e) => e.ip)).toEqual(["198.51.100.0"]);

    const failed = await listAuditEvents({ actor: admin, type: "sign_in.failed", page: 1, pageSize: 10 });
    expect(failed.ok && failed.events.map((e) => e.ip)).toEqual(["198.51.100.5", "198.51.100.3", "198.51.100.1"]);
    const byAdmin = await listAuditEvents({ actor: admin, userId: admin.id, page: 1, pageSize: 10 });
    expect(byAdmin.ok && byAdmin.total).toBe(2);

    // Another account's user id finds nothing, and that account's admin sees only its own event.
    const foreign = await listAuditEvents({ actor: admin, userId: other.member.id, page: 1, pageSize: 10 });
    expect(foreign.ok && foreign.total).toBe(0);
    const theirs = await listAuditEvents({ actor: other.admin, page: 1, pageSize: 50 });
    expect(theirs.ok && theirs.events.map((e) => e.actor?.id)).toEqual([other.member.id]);
  });
});
