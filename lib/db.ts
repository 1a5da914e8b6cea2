import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./env";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client";
import { PrismaClient } from "./generated/sqlite/client";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function isPostgres(url = env().DATABASE_URL) {
  return url.startsWith("postgres");
}

function createClient(url: string): Db {
  if (isPostgres(url)) {
    // Both generated clients have the same models; the SQLite one's types describe both.
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  const file = url.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 10_000 }) });
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
