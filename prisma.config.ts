import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// Prisma 6.19's WebAssembly schema engine ("js" engine) works offline; the native one
// would be downloaded. The adapter is only used by CLI commands that touch a database
// (none in normal use: migrations are applied by scripts/migrate.mjs).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.PRISMA_CLI_SQLITE_URL ?? "file:./.data/prisma-cli.db" });
  },
});
