// Property: the audit log shows an account only its own events, pages stably by (time, id), exports to admins only, and hides an admin's address.
import { describe, expect, it } from "vitest";
import { exportAuditEvents, listAuditEvents, listOwnAuditEvents } from "@/lib/audit/log";
import { db } from "@/lib/platform/db";
import { org } from "../admin-fixtures";

async function seedEvents(accountId: string, count: number, make: (i: number) => object) {
  const base = Date.now() - 60 * 60_000;
  for (let i = 0; i < count; i++) {
    await db.auditEvent.create({
      data: { accountId, type: "sign_in.succeeded", createdAt: new Date(base + i * 1000), ...make(i) },
    });
  }
}

describe("audit log", () => {
  it("lists the actor's account only, newest first, filtered, with names", async () => {
    const { admin, member, accountId } = await org();
    const other = await org();
    await seedEvents(accountId, 7, (i) => ({
      type: i % 2 ? "sign_in.failed" : "sign_in.succeeded",
      actorId: i < 5 ? member.id : admin.id,
      targetId: member.id,
      ip: `198.51.100.${i}`,
    }));
    await db.auditEvent.create({
      data: { accountId: other.accountId, type: "sign_in.failed", actorId: other.member.id, targetId: other.member.id },
    });

    const first = await listAuditEvents({ actor: admin, filter: {}, paging: { pageSize: 3 } });
    if (!first.ok) throw new Error(first.error);
    expect(first.events.map((e) => e.ip)).toEqual(["198.51.100.6", "198.51.100.5", "198.51.100.4"]);
    expect(first.events[0]).toMatchObject({
      actor: { id: admin.id, name: admin.name, email: admin.email },
      target: { id: member.id, email: member.email },
    });

    const failed = await listAuditEvents({ actor: admin, filter: { type: "sign_in.failed" }, paging: {} });
    expect(failed.ok && failed.events.map((e) => e.ip)).toEqual(["198.51.100.5", "198.51.100.3", "198.51.100.1"]);
    const byAdmin = await listAuditEvents({ actor: admin, filter: { userId: admin.id }, paging: {} });
    expect(byAdmin.ok && byAdmin.total).toBe(2);

    // Another account's user id finds nothing, and that account's admin sees only its own event.
    const foreign = await listAuditEvents({ actor: admin, filter: { userId: other.member.id }, paging: {} });
    expect(foreign.ok && foreign.total).toBe(0);
    const theirs = await listAuditEvents({ actor: other.admin, filter: {}, paging: { pageSize: 50 } });
    expect(theirs.ok && theirs.events.map((e) => e.actor?.id)).toEqual([other.member.id]);
  });

  it("pages by (time, id) both ways, also through events written in the same millisecond", async () => {
    const { admin, accountId } = await org();
    const at = new Date(Date.now() - 30 * 60_000);
    // Five events share one timestamp: only the id tells them apart.
    await seedEvents(accountId, 12, (i) => ({
      ip: `192.0.2.${i}`,
      createdAt: i < 5 ? at : new Date(at.getTime() + i),
    }));
    const all = await db.auditEvent.findMany({
      where: { accountId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });

    const seen: string[] = [];
    const pages: { newer: string | null; older: string | null; ids: string[] }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents({ actor: admin, filter: {}, paging: { cursor, pageSize: 5 } });
      if (!page.ok) throw new Error(page.error);
      expect(page.total).toBe(12);
      pages.push({ newer: page.newer, older: page.older, ids: page.events.map((e) => e.id) });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.older ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(pages.map((p) => p.ids.length)).toEqual([5, 5, 2]);
    expect(pages[0].newer).toBeNull();
    expect(pages[2].older).toBeNull();

    // Back from the last page: the same middle page, and from there the first.
    const middle = await listAuditEvents({
      actor: admin,
      filter: {},
      paging: { cursor: pages[2].newer ?? "", direction: "previous", pageSize: 5 },
    });
    expect(middle.ok && middle.events.map((e) => e.id)).toEqual(pages[1].ids);
    const top = await listAuditEvents({
      actor: admin,
      filter: {},
      paging: { cursor: middle.ok ? (middle.newer ?? "") : "", direction: "previous", pageSize: 5 },
    });
    expect(top.ok && top.events.map((e) => e.id)).toEqual(pages[0].ids);
    expect(top.ok && top.newer).toBeNull();

    // A cursor that is not one of ours is the first page, not an error.
    const junk = await listAuditEvents({ actor: admin, filter: {}, paging: { cursor: "not-a-cursor", pageSize: 5 } });
    expect(junk.ok && junk.events.map((e) => e.id)).toEqual(pages[0].ids);
  });

  it("filters by a time range, start included and end left out, and exports the same events in batches", async () => {
    const { admin, accountId } = await org();
    const start = new Date("2026-03-01T00:00:00Z");
    for (const [i, iso] of [
      "2026-02-28T23:59:59.999Z",
      "2026-03-01T00:00:00.000Z",
      "2026-03-01T12:00:00.000Z",
      "2026-03-01T23:59:59.999Z",
      "2026-03-02T00:00:00.000Z",
    ].entries()) {
      await db.auditEvent.create({
        data: { accountId, type: "sign_in.failed", ip: `10.0.0.${i}`, createdAt: new Date(iso) },
      });
    }
    const filter = { from: start, to: new Date("2026-03-02T00:00:00Z") };
    const page = await listAuditEvents({ actor: admin, filter, paging: {} });
    expect(page.ok && page.events.map((e) => e.ip)).toEqual(["10.0.0.3", "10.0.0.2", "10.0.0.1"]);

    const batches = await exportAuditEvents({ actor: admin, filter, batchSize: 2 });
    if (!batches) throw new Error("admin refused");
    const exported: (string | null)[][] = [];
    for await (const batch of batches) exported.push(batch.map((e) => e.ip));
    expect(exported).toEqual([["10.0.0.3", "10.0.0.2"], ["10.0.0.1"]]);
  });

  it("refuses the export to a member", async () => {
    const { member } = await org();
    expect(await exportAuditEvents({ actor: member, filter: {} })).toBeNull();
  });

  // A member's own log must not show another account's events, nor the address and
  // device of the admin who acted on them.
  it("gives a user their own events, as actor or target, without an admin's address", async () => {
    const { admin, member, accountId } = await org();
    const other = await org();
    await seedEvents(
      accountId,
      4,
      (i) =>
        [
          { actorId: member.id, targetId: member.id, ip: "203.0.113.1", userAgent: "member browser" },
          { type: "two_factor.reset", actorId: admin.id, targetId: member.id, ip: "203.0.113.2", userAgent: "admin" },
          { type: "sign_in.failed", targetId: member.id, ip: "203.0.113.3", userAgent: "stranger" },
          { actorId: admin.id, targetId: admin.id, ip: "203.0.113.4" },
        ][i],
    );
    await db.auditEvent.create({ data: { accountId: other.accountId, type: "sign_in.failed", targetId: member.id } });

    const page = await listOwnAuditEvents({ userId: member.id, paging: { pageSize: 2 } });
    expect(page.total).toBe(3);
    expect(page.events.map((e) => [e.type, e.ip, e.userAgent])).toEqual([
      ["sign_in.failed", "203.0.113.3", "stranger"],
      ["two_factor.reset", null, null],
    ]);
    const next = await listOwnAuditEvents({ userId: member.id, paging: { cursor: page.older ?? "", pageSize: 2 } });
    expect(next.events.map((e) => e.ip)).toEqual(["203.0.113.1"]);
    expect(next.older).toBeNull();
  });
});
