import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Tests that never open the database run once, in the SQLite pass: `npm test` runs the
// suite a second time with TEST_DATABASE_URL for PostgreSQL (scripts/test.mjs).
const DATABASE_FREE = [
  "tests/layout.test.ts",
  "tests/app-words.test.ts",
  "tests/account/policy.test.ts",
  "tests/audit/audit-words.test.ts",
  "tests/messages/emails.test.ts",
  "tests/messages/outbox-access.test.ts",
  "tests/passkeys/browser-capabilities.test.ts",
  "tests/passkeys/providers.test.ts",
  "tests/platform/logger.test.ts",
  "tests/platform/request-body.test.ts",
  "tests/platform/sqlite-statements.test.ts",
  "tests/sign-in/password.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: process.env.TEST_DATABASE_URL ? [...configDefaults.exclude, ...DATABASE_FREE] : configDefaults.exclude,
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    // next-auth imports "next/server" without the extension Node's own loader needs, and
    // reads next/headers, which tests/dal.test.ts supplies: it goes through Vite instead.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
