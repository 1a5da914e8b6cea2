// Property: rows written before the domain_enums and passkeys migrations read back unchanged after them: roles, methods and audit details.
import { describe, expect, it } from "vitest";
import { upgradeWith } from "../migration-fixture";

// Data loss: this release rebuilds "Account" on SQLite (two new columns, allowed methods
// as JSON), which would cascade-delete every user if foreign keys were on, and turns
// role, method and audit-detail columns into enums and JSON. Prisma's diff
// for PostgreSQL drops and re-adds a column whose type changes, and SQLite rebuilds the
// table; either way, rows written before the migration must read back unchanged.
// The passkeys migration then gives each method its own date and adds passkeys to the
// allowed methods. Runs on the provider the suite runs on (TEST_DATABASE_URL).

// Every migration of this release after the last one that had shipped.
const BEFORE = "20261123180908_password_reset";

const rows = [
  `INSERT INTO "Account" ("id", "name") VALUES ('acc', 'Old Co')`,
  `INSERT INTO "Account" ("id", "name", "allowedMethods") VALUES ('acc2', 'Other Co', 'totp,email')`,
  `INSERT INTO "User" ("id", "accountId", "email", "name", "role", "twoFactorMethod", "twoFactorEnabledAt", "passwordHash")
     VALUES ('u1', 'acc', 'owner@old.test', 'Owner', 'OWNER', 'totp', '2026-11-01 10:00:00', 'hash'),
            ('u2', 'acc', 'admin@old.test', 'Admin', 'ADMIN', 'sms', '2026-11-02 10:00:00', 'hash'),
            ('u3', 'acc', 'member@old.test', 'Member', 'MEMBER', NULL, NULL, NULL),
            ('u4', 'acc2', 'other@old.test', 'Other', 'OWNER', 'email', '2026-11-03 10:00:00', 'hash')`,
  `INSERT INTO "LoginChallenge" ("id", "tokenHash", "userId", "expiresAt", "pendingFactor")
     VALUES ('c1', 'hash1', 'u2', CURRENT_TIMESTAMP, 'email'), ('c2', 'hash2', 'u3', CURRENT_TIMESTAMP, NULL)`,
  `INSERT INTO "DeliveredCodeSetup" ("id", "userId", "method", "destination", "expiresAt")
     VALUES ('d1', 'u2', 'sms', '+447700900123', CURRENT_TIMESTAMP)`,
  `INSERT INTO "AuditEvent" ("id", "accountId", "type", "data")
     VALUES ('a1', 'acc', 'two_factor.enabled', '{"method":"sms","sessionsEnded":2,"replaced":false}'),
            ('a2', 'acc', 'session.signed_out', NULL)`,
];

describe("domain_enums migration", () => {
  it("keeps the roles, methods and audit details written before it", async () => {
    await upgradeWith({
      name: `enums_${process.pid}`,
      through: BEFORE,
      rows,
      check: async (client) => {
        const users = await client.user.findMany({
          select: {
            id: true,
            role: true,
            twoFactorMethod: true,
            twoFactorEnabledAt: true,
            smsEnabledAt: true,
            emailCodesEnabledAt: true,
            joinedAt: true,
            createdAt: true,
          },
        });
        expect(
          users
            .sort((a, b) => a.id.localeCompare(b.id))
            .map(({ twoFactorEnabledAt, smsEnabledAt, emailCodesEnabledAt, joinedAt, createdAt, ...rest }) => ({
              ...rest,
              sms: smsEnabledAt?.getTime() === twoFactorEnabledAt?.getTime() && !!smsEnabledAt,
              email: emailCodesEnabledAt?.getTime() === twoFactorEnabledAt?.getTime() && !!emailCodesEnabledAt,
              joined: joinedAt?.getTime() === createdAt.getTime(),
            })),
        ).toEqual([
          { id: "u1", role: "OWNER", twoFactorMethod: "totp", sms: false, email: false, joined: true },
          { id: "u2", role: "ADMIN", twoFactorMethod: "sms", sms: true, email: false, joined: true },
          { id: "u3", role: "MEMBER", twoFactorMethod: null, sms: false, email: false, joined: false },
          { id: "u4", role: "OWNER", twoFactorMethod: "email", sms: false, email: true, joined: true },
        ]);
        const challenges = await client.loginChallenge.findMany({ select: { id: true, pendingFactor: true } });
        expect(challenges.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
          { id: "c1", pendingFactor: "email" },
          { id: "c2", pendingFactor: null },
        ]);
        expect(await client.deliveredCodeSetup.findUnique({ where: { id: "d1" }, select: { method: true } })).toEqual({
          method: "sms",
        });
        const events = await client.auditEvent.findMany({ select: { id: true, data: true }, orderBy: { id: "asc" } });
        expect(events).toEqual([
          { id: "a1", data: { method: "sms", sessionsEnded: 2, replaced: false } },
          { id: "a2", data: null },
        ]);
        const accounts = await client.account.findMany({
          select: { id: true, allowedMethods: true },
          orderBy: { id: "asc" },
        });
        expect(accounts).toEqual([
          { id: "acc", allowedMethods: ["totp", "sms", "email", "passkey"] },
          { id: "acc2", allowedMethods: ["totp", "email", "passkey"] },
        ]);
        const fresh = await client.account.create({ data: { name: "New Co" }, select: { allowedMethods: true } });
        expect(fresh.allowedMethods).toEqual(["totp", "sms", "email", "passkey"]);
        // The default still applies to rows written after the migration.
        const user = await client.user.create({
          data: { accountId: "acc", email: "new@old.test", name: "New" },
          select: { role: true },
        });
        expect(user.role).toBe("MEMBER");
      },
    });
  });
});
