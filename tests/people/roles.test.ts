// Property: only a current, enabled admin administers, and only users of their own account; others' users look like unknown ids.
import { describe, expect, it } from "vitest";
import { clearAllSessions, updateEnforcement, updateSessionDuration } from "@/lib/account/settings";
import { listAuditEvents } from "@/lib/audit/log";
import { inviteUser } from "@/lib/people/invitations";
import { unlockUser } from "@/lib/people/user-admin";
import { listUsers } from "@/lib/people/users-list";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { org, targeted, withTwoFactor } from "../admin-fixtures";
import { createUser, request } from "../factories";

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
      await listAuditEvents({ actor: member, filter: {}, paging: {} }),
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

// Cross-tenant access (docs/security-model.md, "Administration and tenancy"): an admin of
// account A passing the id of a user in account B. Nothing of B may be read or changed, and
// B's users look like unknown ids.
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
