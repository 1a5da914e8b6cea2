import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  POSTGRES_CONNECT_TIMEOUT_MS,
  POSTGRES_LOCK_TIMEOUT_MS,
  SQLITE_BUSY_TIMEOUT_MS,
  SQLITE_KEPT_STATEMENTS,
  TRANSACTION_MAX_WAIT_MS,
  TRANSACTION_TIMEOUT_MS,
} from "@/lib/config";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import { PrismaClient } from "@/lib/generated/sqlite/client";
import { env } from "./env";
import { observeQuery } from "./metrics";
import { keepStatements } from "./sqlite-statements";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function isPostgres(url = env().DATABASE_URL) {
  return url.startsWith("postgres");
}

// Every wait on the database is bounded (lib/config.ts, "Under load"): one that runs out
// is answered 503 with Retry-After (lib/platform/overload.ts), not left hanging.
const transactionOptions = { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS };
// Every statement's time, for README "Metrics"; the statement's text goes no further.
const log = [{ emit: "event" as const, level: "query" as const }];

// Prisma's SQLite adapter, with each connection's compiled statements kept
// (lib/platform/sqlite-statements.ts).
class StatementKeepingSqlite extends PrismaBetterSQLite3 {
  async connect() {
    const adapter = await super.connect();
    keepStatements(
      (adapter as unknown as { client: Parameters<typeof keepStatements>[0] }).client,
      SQLITE_KEPT_STATEMENTS,
    );
    return adapter;
  }
}

function createClient(url: string): Db {
  if (isPostgres(url)) {
    const adapter = new PrismaPg({
      connectionString: url,
      connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
      lock_timeout: POSTGRES_LOCK_TIMEOUT_MS,
    });
    // Both generated clients have the same models; the SQLite one's types describe both.
    const client = new PostgresPrismaClient({ adapter, transactionOptions, log });
    client.$on("query", (event) => observeQuery(event.query, event.duration));
    return client as unknown as Db;
  }
  const file = url.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const client = new PrismaClient({
    adapter: new StatementKeepingSqlite({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }),
    transactionOptions,
    log,
  });
  client.$on("query", (event) => observeQuery(event.query, event.duration));
  return client;
}

const globalForDb = globalThis as unknown as { __db?: Db };

function client(): Db {
  globalForDb.__db ??= createClient(env().DATABASE_URL);
  return globalForDb.__db;
}

// Created on first use so that the environment (and the test harness) decide the
// database, not the import order.
export const db: Db = new Proxy({} as Db, {
  get(_, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
