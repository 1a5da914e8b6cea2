// Property: audit streaming sends each committed event once, signed, in order with backoff, over https or to loopback, and stops at once when disabled.
import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { AuditType, audit } from "@/lib/audit/record";
import { deliverDue, retryDelayMs } from "@/lib/audit/stream-delivery";
import {
  disableAuditStream,
  isAllowedWebhookUrl,
  rotateAuditStreamSecret,
  saveAuditStream,
  sendAuditStreamTest,
} from "@/lib/audit/stream-settings";
import { DAY_MS } from "@/lib/config";
import { deleteExpiredRows } from "@/lib/platform/cleanup";
import { db } from "@/lib/platform/db";
import { createUser, request } from "../factories";
import { type Recorded, startFakeServer } from "../fake-server";

// The receiver's check, as README "Audit streaming" tells one to write it.
function verify(secret: string, header: string, body: string, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=")));
  const expected = crypto.createHmac("sha256", secret).update(`${parts.t}.${body}`).digest("hex");
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) <= toleranceSeconds;
  const same =
    expected.length === parts.v1?.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1));
  return fresh && same;
}

// A receiver whose answer each test sets: 200 unless told otherwise.
let status = 200;
const receiver = await startFakeServer(() => ({ status }));
const received = (accountId: string) =>
  receiver.received
    .map((request: Recorded) => ({ request, body: JSON.parse(request.body) }))
    .filter(({ body }) => body.accountId === accountId);
const types = (accountId: string) => received(accountId).map(({ body }) => body.type);

const owner = "test-worker";
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function streamingAdmin() {
  const admin = await createUser({ role: "OWNER" });
  const saved = await saveAuditStream({ actor: admin, url: `${receiver.url}/hook`, request });
  if (!saved.ok || !saved.secret) throw new Error("could not set the stream up");
  return { admin, secret: saved.secret };
}

// Passes until nothing is due at `now`.
async function drain(now = new Date()) {
  while ((await deliverDue({ owner, now, log: () => {} })) > 0);
}

const changeOf = (accountId: string, userId: string) =>
  db.$transaction((tx) => audit(tx, { accountId, type: AuditType.profileUpdated, targetId: userId, request }));

afterAll(() => receiver.close());

describe("audit streaming", () => {
  it("takes https anywhere and plain http only to a loopback address", () => {
    expect(isAllowedWebhookUrl("https://siem.example.com/hooks/strongsign")).toBe(true);
    expect(isAllowedWebhookUrl("http://127.0.0.1:9000/hook")).toBe(true);
    expect(isAllowedWebhookUrl("http://127.12.0.1/hook")).toBe(true);
    expect(isAllowedWebhookUrl("http://[::1]:9000/hook")).toBe(true);
    expect(isAllowedWebhookUrl("http://siem.example.com/hook")).toBe(false);
    expect(isAllowedWebhookUrl("http://localhost:9000/hook")).toBe(false);
    expect(isAllowedWebhookUrl("http://10.0.0.1/hook")).toBe(false);
    expect(isAllowedWebhookUrl("https://user:pass@siem.example.com/hook")).toBe(false);
    expect(isAllowedWebhookUrl("ftp://siem.example.com/")).toBe(false);
    expect(isAllowedWebhookUrl("not a url")).toBe(false);
  });

  it("signs each event as Stripe does, with its id in a header, and keeps the secret only encrypted", async () => {
    const { admin, secret } = await streamingAdmin();
    await changeOf(admin.accountId, admin.id);
    await drain();
    const deliveries = received(admin.accountId);
    expect(deliveries.map(({ body }) => body.type)).toEqual(["audit_stream.enabled", "profile.updated"]);
    for (const { request: sent, body } of deliveries) {
      const header = String(sent.headers["strongsign-signature"]);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verify(secret, header, sent.body)).toBe(true);
      expect(verify(`${secret}x`, header, sent.body)).toBe(false);
      expect(verify(secret, header, sent.body.replace(body.type, "user.role_changed"))).toBe(false);
      expect(sent.headers["strongsign-event-id"]).toBe(body.id);
      const stored = await db.auditEvent.findUniqueOrThrow({ where: { id: body.id } });
      expect(body).toMatchObject({ type: stored.type, actorId: stored.actorId, targetId: stored.targetId });
      expect(body.time).toBe(stored.createdAt.toISOString());
    }
    const row = await db.auditStream.findUniqueOrThrow({ where: { accountId: admin.accountId } });
    expect(row.encryptedSecret).not.toContain(secret.slice(6));
    expect(JSON.stringify(await db.auditEvent.findMany({ where: { accountId: admin.accountId } }))).not.toContain(
      secret.slice(6),
    );
  });

  it("queues an event only when its change commits, and only for an account that streams", async () => {
    const { admin } = await streamingAdmin();
    await expect(
      db.$transaction(async (tx) => {
        await audit(tx, { accountId: admin.accountId, type: AuditType.profileUpdated, targetId: admin.id });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.auditDelivery.count({ where: { accountId: admin.accountId } })).toBe(1);
    const quiet = await createUser();
    await changeOf(quiet.accountId, quiet.id);
    expect(await db.auditDelivery.count({ where: { accountId: quiet.accountId } })).toBe(0);
  });

  it("delivers an account's events in order, the next only once the earlier one succeeded, with backoff", async () => {
    const { admin } = await streamingAdmin();
    await drain();
    await changeOf(admin.accountId, admin.id);
    await sendAuditStreamTest({ actor: admin, request });
    const start = new Date();
    status = 500;
    await drain(start);
    // The first failed: nothing after it was tried, and it waits the base delay.
    expect(types(admin.accountId)).toEqual(["audit_stream.enabled", "profile.updated"]);
    const first = await db.auditDelivery.findFirstOrThrow({
      where: { accountId: admin.accountId, status: "pending" },
      orderBy: { sequence: "asc" },
    });
    expect(first).toMatchObject({ attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(first.nextAttemptAt.getTime()).toBe(start.getTime() + retryDelayMs(1));
    await drain(at(start, retryDelayMs(1) - 1));
    expect(received(admin.accountId)).toHaveLength(2);
    // Second failure: twice the wait.
    await drain(at(start, retryDelayMs(1)));
    expect(types(admin.accountId)).toEqual(["audit_stream.enabled", "profile.updated", "profile.updated"]);
    const again = await db.auditDelivery.findUniqueOrThrow({ where: { id: first.id } });
    expect(again.attempts).toBe(2);
    expect(again.nextAttemptAt.getTime()).toBe(start.getTime() + retryDelayMs(1) + retryDelayMs(2));
    status = 200;
    await drain(at(start, retryDelayMs(1) + retryDelayMs(2)));
    expect(types(admin.accountId)).toEqual([
      "audit_stream.enabled",
      "profile.updated",
      "profile.updated",
      "profile.updated",
      "audit_stream.test_sent",
    ]);
    expect(await db.auditDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
  });

  it("doubles the wait from the base up to an hour", () => {
    expect(retryDelayMs(1, 10_000)).toBe(10_000);
    expect(retryDelayMs(2, 10_000)).toBe(20_000);
    expect(retryDelayMs(5, 10_000)).toBe(160_000);
    expect(retryDelayMs(9, 10_000)).toBe(2_560_000);
    expect(retryDelayMs(10, 10_000)).toBe(60 * 60_000);
    expect(retryDelayMs(500, 10_000)).toBe(60 * 60_000);
  });

  it("counts a refused connection as a failure to retry", async () => {
    const admin = await createUser({ role: "OWNER" });
    const closed = await startFakeServer(() => ({ status: 200 }));
    await closed.close();
    await saveAuditStream({ actor: admin, url: `${closed.url}/hook`, request });
    await drain();
    const row = await db.auditDelivery.findFirstOrThrow({ where: { accountId: admin.accountId } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(row.lastError).toMatch(/^could not connect/);
  });

  it("never sends a row another worker holds until its lease runs out, and sends it once", async () => {
    const { admin } = await streamingAdmin();
    const now = new Date();
    await db.auditDelivery.updateMany({
      where: { accountId: admin.accountId },
      data: { leaseOwner: "elsewhere", leaseUntil: at(now, 30_000) },
    });
    await drain(now);
    expect(received(admin.accountId)).toHaveLength(0);
    await drain(at(now, 30_001));
    expect(types(admin.accountId)).toEqual(["audit_stream.enabled"]);
    // Two workers at once: one of them gets the row.
    await changeOf(admin.accountId, admin.id);
    const tried = await Promise.all([
      deliverDue({ owner: "a", log: () => {} }),
      deliverDue({ owner: "b", log: () => {} }),
    ]);
    expect(tried[0] + tried[1]).toBe(1);
    expect(types(admin.accountId)).toEqual(["audit_stream.enabled", "profile.updated"]);
  });

  it("stops at once when disabled, and starts again from new events", async () => {
    const { admin, secret } = await streamingAdmin();
    await changeOf(admin.accountId, admin.id);
    expect((await disableAuditStream({ actor: admin, request })).ok).toBe(true);
    await changeOf(admin.accountId, admin.id);
    await drain();
    expect(received(admin.accountId)).toHaveLength(0);
    expect(await db.auditDelivery.count({ where: { accountId: admin.accountId, status: "pending" } })).toBe(0);
    expect((await sendAuditStreamTest({ actor: admin, request })).ok).toBe(false);

    const again = await saveAuditStream({ actor: admin, url: `${receiver.url}/hook`, request });
    expect(again).toEqual({ ok: true, secret: null });
    await changeOf(admin.accountId, admin.id);
    await drain();
    expect(types(admin.accountId)).toEqual(["audit_stream.enabled", "profile.updated"]);
    for (const { request: sent } of received(admin.accountId))
      expect(verify(secret, String(sent.headers["strongsign-signature"]), sent.body)).toBe(true);
  });

  it("audits a new address and a new secret, and signs with the new secret from then on", async () => {
    const { admin, secret } = await streamingAdmin();
    await saveAuditStream({ actor: admin, url: `${receiver.url}/other`, request });
    const rotated = await rotateAuditStreamSecret({ actor: admin, request });
    if (!rotated.ok) throw new Error("rotation failed");
    expect(rotated.secret).not.toBe(secret);
    await drain();
    const events = received(admin.accountId);
    expect(events.map(({ body }) => body.type)).toEqual([
      "audit_stream.enabled",
      "audit_stream.url_changed",
      "audit_stream.secret_rotated",
    ]);
    expect(events[1].body.data).toEqual({ from: new URL(receiver.url).host, to: new URL(receiver.url).host });
    expect(events.slice(1).map(({ request: sent }) => sent.path)).toEqual(["/other", "/other"]);
    for (const { request: sent } of events)
      expect(verify(rotated.secret, String(sent.headers["strongsign-signature"]), sent.body)).toBe(true);
    const member = await createUser({ role: "MEMBER", accountId: admin.accountId });
    expect(await rotateAuditStreamSecret({ actor: member, request })).toEqual({ ok: false, error: "forbidden" });
  });

  it("is cleaned up a month after a row is done with, and never while it is pending", async () => {
    const { admin } = await streamingAdmin();
    await changeOf(admin.accountId, admin.id);
    const old = new Date(Date.now() - 31 * DAY_MS);
    const rows = await db.auditDelivery.findMany({
      where: { accountId: admin.accountId },
      orderBy: { sequence: "asc" },
    });
    await db.auditDelivery.update({ where: { id: rows[0].id }, data: { status: "delivered", createdAt: old } });
    await db.auditDelivery.update({ where: { id: rows[1].id }, data: { createdAt: old } });
    await deleteExpiredRows();
    expect(await db.auditDelivery.findUnique({ where: { id: rows[0].id } })).toBeNull();
    expect(await db.auditDelivery.findUnique({ where: { id: rows[1].id } })).not.toBeNull();
  });
});
