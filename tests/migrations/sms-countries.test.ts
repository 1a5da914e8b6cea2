// Property: the sms_countries migration lets each account text the countries of its people's numbers, and one without numbers any country.
import { describe, expect, it } from "vitest";
import { upgradeWith } from "../migration-fixture";

// An upgrade must not cut anyone's texts off: each account that existed before the
// sms_countries migration may text the countries of the numbers its people already have
// (the owner's among them), read with libphonenumber-js by the migration's data step. An
// account without numbers says nothing of where it is, and keeps texting any country.
// Runs on the provider the suite runs on (TEST_DATABASE_URL).

const BEFORE = "20261201183517_perf_indexes";

const rows = [
  `INSERT INTO "Account" ("id", "name") VALUES ('acc1', 'Many Co'), ('acc2', 'Quiet Co'), ('acc3', 'Island Co')`,
  `INSERT INTO "User" ("id", "accountId", "email", "name", "role", "phone", "disabledAt")
     VALUES ('u1', 'acc1', 'owner@many.test', 'Owner', 'OWNER', '+447400123456', NULL),
            ('u2', 'acc1', 'admin@many.test', 'Admin', 'ADMIN', '+33612345678', NULL),
            ('u3', 'acc1', 'toronto@many.test', 'Toronto', 'MEMBER', '+14165550123', NULL),
            ('u4', 'acc1', 'dc@many.test', 'Washington', 'MEMBER', '+12025550123', NULL),
            ('u5', 'acc1', 'none@many.test', 'No phone', 'MEMBER', NULL, NULL),
            ('u6', 'acc1', 'gone@many.test', 'Gone', 'MEMBER', '+353861234567', CURRENT_TIMESTAMP),
            ('u7', 'acc1', 'second@many.test', 'Second Briton', 'MEMBER', '+447400654321', NULL),
            ('u8', 'acc2', 'owner@quiet.test', 'Owner', 'OWNER', NULL, NULL),
            ('u9', 'acc3', 'owner@island.test', 'Owner', 'OWNER', NULL, NULL),
            ('u10', 'acc3', 'jersey@island.test', 'Jersey', 'MEMBER', '+447797123456', NULL)`,
];

describe("sms_countries migration", () => {
  it("lets each account text the countries of the numbers it has; one without numbers, any country", async () => {
    await upgradeWith({
      name: `sms_countries_${process.pid}`,
      through: BEFORE,
      rows,
      check: async (client) => {
        const accounts = await client.account.findMany({
          select: { id: true, smsCountries: true, smsPerCountryPerHour: true },
          orderBy: { id: "asc" },
        });
        expect(accounts).toEqual([
          { id: "acc1", smsCountries: ["CA", "FR", "GB", "IE", "US"], smsPerCountryPerHour: 100 },
          { id: "acc2", smsCountries: [], smsPerCountryPerHour: 100 },
          { id: "acc3", smsCountries: ["JE"], smsPerCountryPerHour: 100 },
        ]);
        expect(await client.user.count()).toBe(10);
        const fresh = await client.account.create({
          data: { name: "New Co" },
          select: { smsCountries: true, smsPerCountryPerHour: true },
        });
        expect(fresh).toEqual({ smsCountries: [], smsPerCountryPerHour: 100 });
      },
    });
  });
});
