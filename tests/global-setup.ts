import crypto from "node:crypto";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";

// One fresh database per run: SQLite by default, PostgreSQL when TEST_DATABASE_URL names
// a server (npm test runs both). Tests isolate themselves by creating their own accounts.
export default async function setup() {
  const server = process.env.TEST_DATABASE_URL;
  const database = await freshDatabase({ server, name: `unit_${process.pid}` });
  process.env.DATABASE_URL = database.url;
  process.env.APP_ENV = "test";
  // The tests read what the app records, not its log (tests/platform/logger.test.ts has that).
  process.env.LOG_LEVEL ??= "silent";
  process.env.AUTH_SECRET = crypto.randomBytes(32).toString("base64url");
  process.env.ENCRYPTION_KEYS = `test2:${crypto.randomBytes(32).toString("base64")},test1:${crypto.randomBytes(32).toString("base64")}`;
  console.log(`unit tests on ${database.url.startsWith("file:") ? "SQLite" : "PostgreSQL"}`);
  return async () => database.drop();
}
