// Data step of the sms_countries migration (run by scripts/migrate.mjs in its transaction).
// An account that existed before may text the countries of the numbers its people already
// have: every user's SMS number, the owner's among them. Nothing else says where an owner
// is (no address is kept, and the browser's language at set-up was not stored), so an
// account without any number keeps the empty list: any country, until an admin narrows it.
//
// The country is read as lib/messages/phone.ts phoneCountry() reads it, copied here rather than
// imported: a migration must do tomorrow what it did the day it shipped.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

function countryOf(e164) {
  const number = parsePhoneNumberFromString(e164);
  return number ? (number.country ?? number.getPossibleCountries()[0]) : undefined;
}

export const select = `SELECT "accountId", "phone" FROM "User" WHERE "phone" IS NOT NULL`;

export function updates(rows, { postgres }) {
  const countries = new Map();
  for (const { accountId, phone } of rows) {
    const country = countryOf(phone);
    if (!country) continue;
    if (!countries.has(accountId)) countries.set(accountId, new Set());
    countries.get(accountId).add(country);
  }
  const sql = `UPDATE "Account" SET "smsCountries" = ${postgres ? "$1::jsonb" : "$1"} WHERE "id" = $2`;
  return [...countries].map(([accountId, set]) => [sql, [JSON.stringify([...set].sort()), accountId]]);
}
