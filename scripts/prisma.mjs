#!/usr/bin/env node
// Runs the Prisma CLI the way this machine needs it, for both database providers.
//
//   node scripts/prisma.mjs generate          derive the PostgreSQL schema, generate both clients
//   node scripts/prisma.mjs migration NAME    write a new migration for SQLite and PostgreSQL
//   node scripts/prisma.mjs check             fail if the derived schema or migrations are stale
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const schemaPath = path.join(root, "prisma/schema.prisma");
const pgSchemaPath = path.join(root, "prisma/postgresql/schema.prisma");
const migrationsDir = {
  sqlite: path.join(root, "prisma/migrations/sqlite"),
  postgresql: path.join(root, "prisma/migrations/postgresql"),
};
const snapshotPath = path.join(root, "prisma/migrations/schema.snapshot.prisma");

// The CLI looks for native engines at start and tries to download them; pointing it at
// any existing file stops that. With engine "js" nothing runs them.
const placeholder = path.join(os.tmpdir(), "prisma-engine-placeholder");
fs.writeFileSync(placeholder, "");
// prisma.config.ts opens a scratch SQLite file there; a fresh clone has no .data yet.
fs.mkdirSync(path.join(root, ".data"), { recursive: true });
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
  PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};

function prisma(args, options = {}) {
  const databaseUrl = args.includes(pgSchemaPath) ? "postgresql://localhost/unused" : "file:./unused.db";
  return execFileSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    env: { ...env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit",
  });
}

function derivePostgresSchema(source) {
  const header = "// GENERATED from prisma/schema.prisma by scripts/prisma.mjs: do not edit.\n";
  return (
    header +
    source
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('output     = "../lib/generated/sqlite"', 'output     = "../../lib/generated/postgres"')
  );
}

function writeDerived() {
  const derived = derivePostgresSchema(fs.readFileSync(schemaPath, "utf8"));
  fs.mkdirSync(path.dirname(pgSchemaPath), { recursive: true });
  fs.writeFileSync(pgSchemaPath, derived);
  return derived;
}

function diff(_provider, fromSchemaFile, toSchemaFile) {
  const from = fromSchemaFile ? ["--from-schema-datamodel", fromSchemaFile] : ["--from-empty"];
  return prisma(["migrate", "diff", ...from, "--to-schema-datamodel", toSchemaFile, "--script"], { capture: true });
}

function withTempSchemas(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-schemas-"));
  try {
    const current = fs.readFileSync(schemaPath, "utf8");
    const files = { sqlite: { to: schemaPath }, postgresql: { to: pgSchemaPath } };
    if (fs.existsSync(snapshotPath)) {
      const snapshot = fs.readFileSync(snapshotPath, "utf8");
      files.sqlite.from = path.join(dir, "from-sqlite.prisma");
      files.postgresql.from = path.join(dir, "from-postgresql.prisma");
      fs.writeFileSync(files.sqlite.from, snapshot);
      fs.writeFileSync(files.postgresql.from, derivePostgresSchema(snapshot));
    }
    return fn(files, current);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [command, name] = process.argv.slice(2);
switch (command) {
  case "generate": {
    writeDerived();
    prisma(["generate", "--schema", schemaPath], { capture: true });
    prisma(["generate", "--schema", pgSchemaPath], { capture: true });
    console.log("prisma: generated lib/generated/sqlite and lib/generated/postgres");
    break;
  }
  case "migration": {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: prisma.mjs migration snake_case_name");
    writeDerived();
    withTempSchemas((files, current) => {
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      for (const provider of ["sqlite", "postgresql"]) {
        const sql = diff(provider, files[provider].from, files[provider].to);
        const dir = path.join(migrationsDir[provider], `${stamp}_${name}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "migration.sql"), sql);
        console.log(`prisma: wrote ${path.relative(root, dir)}/migration.sql`);
      }
      fs.writeFileSync(snapshotPath, current);
    });
    break;
  }
  case "check": {
    const derived = derivePostgresSchema(fs.readFileSync(schemaPath, "utf8"));
    if (!fs.existsSync(pgSchemaPath) || fs.readFileSync(pgSchemaPath, "utf8") !== derived) {
      throw new Error("prisma/postgresql/schema.prisma is stale: run npm run db:generate");
    }
    if (!fs.existsSync(snapshotPath) || fs.readFileSync(snapshotPath, "utf8") !== fs.readFileSync(schemaPath, "utf8")) {
      throw new Error("prisma/schema.prisma has changes without a migration: run npm run db:migration -- NAME");
    }
    console.log("prisma: schema, derived schema and migrations agree");
    break;
  }
  default:
    console.error("usage: node scripts/prisma.mjs generate | migration NAME | check");
    process.exit(2);
}
