import { describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit";
import { db } from "@/lib/db";
import { org } from "./admin-fixtures";

describe("audit log", () => {
  it("lists the actor's account only, newest first, a page at a time and filtered, with names", async () => {
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

    const first = await listAuditEvents({ actor: admin, pageSize: 3 });
    if (!first.ok) throw new Error(first.error);
    expect(first.events.map((e) => e.ip)).toEqual(["198.51.100.6", "198.51.100.5", "198.51.100.4"]);
    expect(first.events[0]).toMatchObject({
      actor: { id: admin.id, name: admin.name, email: admin.email },
      target: { id: member.id, email: member.email },
    });
    // Each page starts after the last event of the one before; the last has no next.
    expect(first.next).toBe(first.events[2].id);
    const second = await listAuditEvents({ actor: admin, before: first.next!, pageSize: 3 });
    if (!second.ok) throw new Error(second.error);
    expect(second.events.map((e) => e.ip)).toEqual(["198.51.100.3", "198.51.100.2", "198.51.100.1"]);
    const third = await listAuditEvents({ actor: admin, before: second.next!, pageSize: 3 });
    expect(third.ok && third.events.map((e) => e.ip)).toEqual(["198.51.100.0"]);
    expect(third.ok && third.next).toBeNull();

    const failed = await listAuditEvents({ actor: admin, type: "sign_in.failed", pageSize: 10 });
    expect(failed.ok && failed.events.map((e) => e.ip)).toEqual(["198.51.100.5", "198.51.100.3", "198.51.100.1"]);
    const byAdmin = await listAuditEvents({ actor: admin, userId: admin.id, pageSize: 10 });
    expect(byAdmin.ok && byAdmin.events.map((e) => e.ip)).toEqual(["198.51.100.6", "198.51.100.5"]);

    // Another account's user id finds nothing, and that account's admin sees only its own event.
    const foreign = await listAuditEvents({ actor: admin, userId: other.member.id, pageSize: 10 });
    expect(foreign.ok && foreign.events).toEqual([]);
    const theirs = await listAuditEvents({ actor: other.admin, pageSize: 50 });
    // Nor does a cursor from this account open a page of the other one.
    expect(await listAuditEvents({ actor: other.admin, before: first.events[0].id, pageSize: 50 })).toMatchObject({
      events: [],
      next: null,
    });
    expect(theirs.ok && theirs.events.map((e) => e.actor?.id)).toEqual([other.member.id]);
  });
});
