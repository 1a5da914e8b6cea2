// Property: cleanup deletes rows expired over a day ago, stale counters and month-old messages, keeps the rest, and is safe on several instances.
import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/config";
import { deleteExpiredRows } from "@/lib/platform/cleanup";
import { randomToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createUser } from "../factories";

// The test's clock is set years back, so that the rows of tests running at the same time
// on the same database (all dated now) are never old enough to be touched.
const now = new Date("2020-06-01T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const HOUR_MS = 60 * 60_000;

// For each kind of row: one long expired, one expired within the last day (kept so a late
// click still reads "expired"), one live.
const AGES = { old: -2 * DAY_MS, recent: -HOUR_MS, live: HOUR_MS };

async function seed() {
  const ids: Record<string, Record<keyof typeof AGES, string>> = {};
  const users = await Promise.all(Object.keys(AGES).map(() => createUser()));
  const each = async (table: string, make: (expiresAt: Date, userId: string) => Promise<{ id: string }>) => {
    const entries = await Promise.all(
      Object.entries(AGES).map(async ([age, offset], i) => [age, (await make(at(offset), users[i].id)).id]),
    );
    ids[table] = Object.fromEntries(entries);
  };
  const token = () => randomToken();
  await each("session", (expiresAt, userId) =>
    db.session.create({
      data: { tokenHash: token(), userId, createdAt: at(-30 * DAY_MS), lastSeenAt: at(-DAY_MS), expiresAt },
    }),
  );
  await each("loginChallenge", (expiresAt, userId) =>
    db.loginChallenge.create({ data: { tokenHash: token(), userId, createdAt: at(-3 * DAY_MS), expiresAt } }),
  );
  await each("webAuthnChallenge", (expiresAt, userId) =>
    db.webAuthnChallenge.create({ data: { challengeHash: token(), purpose: "register", userId, expiresAt } }),
  );
  await each("totpSetup", (expiresAt, userId) =>
    db.totpSetup.create({ data: { userId, encryptedSecret: "sealed", expiresAt } }),
  );
  await each("deliveredCodeSetup", (expiresAt, userId) =>
    db.deliveredCodeSetup.create({ data: { userId, method: "sms", destination: "+15005550006", expiresAt } }),
  );
  await each("passwordReset", (expiresAt, userId) =>
    db.passwordReset.create({ data: { userId, tokenHash: token(), expiresAt } }),
  );
  await each("browserTrustLink", (expiresAt, userId) =>
    db.browserTrustLink.create({ data: { userId, tokenHash: token(), expiresAt, usedAt: at(-3 * DAY_MS) } }),
  );
  await each("rememberedBrowser", (expiresAt, userId) =>
    db.rememberedBrowser.create({
      data: { userId, tokenHash: token(), deviceHash: token(), createdAt: at(-30 * DAY_MS), expiresAt },
    }),
  );
  await each("emailChange", (expiresAt, userId) =>
    db.emailChange.create({ data: { userId, newEmail: "new@example.test", tokenHash: token(), expiresAt } }),
  );
  await each("endedSession", (expiresAt) =>
    db.endedSession.create({ data: { tokenHash: token(), reason: "admin", endedAt: at(-3 * DAY_MS), expiresAt } }),
  );
  return ids;
}

describe("periodic cleanup", () => {
  it("deletes rows that expired over a day ago and keeps recent and live ones", async () => {
    const ids = await seed();
    const counts = await deleteExpiredRows(now);
    for (const [table, rows] of Object.entries(ids)) {
      const model = db[table as "session"] as unknown as { findUnique(a: object): Promise<unknown> };
      expect(await model.findUnique({ where: { id: rows.old } }), `${table} long expired`).toBeNull();
      expect(await model.findUnique({ where: { id: rows.recent } }), `${table} recently expired`).not.toBeNull();
      expect(await model.findUnique({ where: { id: rows.live } }), `${table} live`).not.toBeNull();
      expect(counts[`${table}s`], `${table} count`).toBeGreaterThanOrEqual(1);
    }
  });

  it("keeps rate-limit counters in their window or blocking, and message records for 30 days", async () => {
    const key = (name: string) => `cleanup-test:${name}:${randomToken(6)}`;
    const stale = await db.rateLimit.create({ data: { key: key("stale"), count: 3, windowStart: at(-2 * HOUR_MS) } });
    const lapsed = await db.rateLimit.create({
      data: { key: key("lapsed"), count: 9, windowStart: at(-2 * HOUR_MS), blockedUntil: at(-HOUR_MS) },
    });
    const counting = await db.rateLimit.create({
      data: { key: key("counting"), count: 3, windowStart: at(-30 * 60_000) },
    });
    const blocking = await db.rateLimit.create({
      data: { key: key("blocking"), count: 30, windowStart: at(-2 * HOUR_MS), blockedUntil: at(5 * 60_000) },
    });
    const message = (createdAt: Date) =>
      db.outboundMessage.create({
        data: { channel: "email", provider: "outbox", to: "a@example.test", body: "", status: "sent", createdAt },
      });
    const oldMessage = await message(at(-31 * DAY_MS));
    const keptMessage = await message(at(-29 * DAY_MS));

    await deleteExpiredRows(now);

    const limit = (row: { key: string }) => db.rateLimit.findUnique({ where: { key: row.key } });
    expect(await limit(stale)).toBeNull();
    expect(await limit(lapsed)).toBeNull();
    expect(await limit(counting)).not.toBeNull();
    expect(await limit(blocking)).not.toBeNull();
    expect(await db.outboundMessage.findUnique({ where: { id: oldMessage.id } })).toBeNull();
    expect(await db.outboundMessage.findUnique({ where: { id: keptMessage.id } })).not.toBeNull();
  });

  // Every instance runs the job: two at once delete each row once and fail on nothing.
  it("is safe to run on several instances at once", async () => {
    const ids = await seed();
    const [first, second] = await Promise.all([deleteExpiredRows(now), deleteExpiredRows(now)]);
    expect(first.sessions + second.sessions).toBeGreaterThanOrEqual(1);
    expect(await db.session.findUnique({ where: { id: ids.session.old } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: ids.session.live } })).not.toBeNull();
    expect(await db.session.findUnique({ where: { id: ids.session.recent } })).not.toBeNull();
  });
});
