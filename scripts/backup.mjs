#!/usr/bin/env node
// `npm run backup -- FILE` and `npm run restore -- FILE` (README "Backup and restore"): a
// consistent copy of the database in DATABASE_URL taken while the app runs, and that copy
// put back into an empty database. The copy holds TOTP secrets and phone numbers sealed
// with ENCRYPTION_KEYS, which are not in it (docs/security-model.md, "What is stored how").
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const [command, file] = process.argv.slice(2);
// The same default as the app's (lib/platform/env.ts) and scripts/migrate.mjs.
const databaseUrl = process.env.DATABASE_URL || `file:${path.join(root, ".data", "app.db")}`;
const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);

function fail(message) {
  console.error(`${command}: ${message}`);
  process.exit(1);
}

// Where the database is, never with its password.
function describe() {
  if (!postgres) return `SQLite ${path.resolve(databaseUrl.replace(/^file:/, ""))}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

// pg_dump and pg_restore get the password in PGPASSWORD rather than in their arguments,
// which every user of the machine can read (ps).
function runPostgresTool(tool, args) {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env;
  const result = spawnSync(tool, [...args, `--dbname=${url}`], { env, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error?.code === "ENOENT")
    fail(`${tool} is not on PATH: install PostgreSQL's client tools, of the server's major version or newer`);
  if (result.status !== 0) {
    // A dump cut short is no backup: it must not be mistaken for one later.
    if (command === "backup") fs.rmSync(file, { force: true });
    fail(
      `${tool} failed (exit code ${result.status}), see above; nothing was ${command === "backup" ? "kept" : "committed"}`,
    );
  }
}

// The target's tables and applied migrations, to refuse a restore over data.
async function contents() {
  if (postgres) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect().catch((error) => fail(`cannot reach ${describe()}: ${error.message}`));
    try {
      const { rows } = await client.query(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
      );
      return rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }
  const target = databaseUrl.replace(/^file:/, "");
  if (!fs.existsSync(target) || fs.statSync(target).size === 0) return [];
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(target, { fileMustExist: true, readonly: true });
  try {
    return sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all()
      .map((row) => row.name);
  } finally {
    sqlite.close();
  }
}

// How many migrations a SQLite copy has applied, or null when it is no copy of this app's.
// `seal` turns the copy's journal from WAL (the app's) to a rollback journal, so that it is
// one self-contained file and reading it leaves no -wal or -shm file beside it.
async function sqliteMigrations(copy, { seal = false } = {}) {
  const { default: Database } = await import("better-sqlite3");
  try {
    const sqlite = new Database(copy, { fileMustExist: true, readonly: !seal });
    try {
      if (seal) sqlite.pragma("journal_mode = DELETE");
      return sqlite.prepare('SELECT count(*) AS n FROM "_app_migrations"').get().n;
    } finally {
      sqlite.close();
    }
  } catch {
    return null;
  }
}

async function backup() {
  if (fs.existsSync(file)) fail(`${file} already exists: choose a new name, a backup never overwrites`);
  if (postgres) {
    // One transaction, one snapshot: consistent while the app goes on writing.
    runPostgresTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`]);
  } else {
    const source = databaseUrl.replace(/^file:/, "");
    if (!fs.existsSync(source)) fail(`there is no database at ${describe()}`);
    const { default: Database } = await import("better-sqlite3");
    const sqlite = new Database(source, { fileMustExist: true });
    try {
      // SQLite's online backup API: page by page, restarting when the app writes meanwhile.
      await sqlite.backup(file);
    } finally {
      sqlite.close();
    }
    if ((await sqliteMigrations(file, { seal: true })) === null) {
      fs.rmSync(file, { force: true });
      fail(`${describe()} is not a StrongSign database`);
    }
  }
  console.log(
    `backup: ${describe()} copied to ${file} (${fs.statSync(file).size} bytes). ` +
      "It does not hold ENCRYPTION_KEYS or AUTH_SECRET: keep them too, apart from it.",
  );
}

async function restore() {
  if (!fs.existsSync(file)) fail(`there is no backup at ${file}`);
  const tables = await contents();
  if (tables.length > 0)
    fail(
      `refusing to restore into ${describe()}: it is not empty (${tables.length} tables${tables.includes("_app_migrations") ? ", migrations applied" : ""}). ` +
        "Restore into a new, empty database.",
    );
  if (postgres) {
    runPostgresTool("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file]);
  } else {
    if ((await sqliteMigrations(file)) === null) fail(`${file} is not a StrongSign backup of a SQLite database`);
    const target = databaseUrl.replace(/^file:/, "");
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    const { default: Database } = await import("better-sqlite3");
    const sqlite = new Database(file, { fileMustExist: true, readonly: true });
    try {
      await sqlite.backup(target);
    } finally {
      sqlite.close();
    }
  }
  console.log(
    `restore: ${file} restored into ${describe()}. Start the app with the ENCRYPTION_KEYS and AUTH_SECRET of the instance it came from.`,
  );
}

if (!["backup", "restore"].includes(command) || !file) {
  console.error("usage: npm run backup -- FILE, npm run restore -- FILE");
  process.exit(2);
}
await (command === "backup" ? backup() : restore());
