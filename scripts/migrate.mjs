#!/usr/bin/env node
import crypto from "node:crypto";
// Applies the checked-in migrations for the database in DATABASE_URL (SQLite file by
// default, or PostgreSQL). Prisma's own `migrate deploy` cannot read PostgreSQL through
// the offline engine, so both providers go through this one small runner.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

// A migration may come with a data step, prisma/migrations/data/<name>.mjs, for what SQL
// cannot compute (a phone number's country needs libphonenumber-js). It exports `select`,
// a query run after the migration's SQL, and `updates(rows, { postgres })`, which returns
// [sql, params] pairs with $1-style placeholders. Both run in the migration's transaction:
// if the step fails, the migration is not applied.
async function dataStep(name) {
  const file = path.join(root, "prisma/migrations/data", `${name}.mjs`);
  return fs.existsSync(file) ? import(file) : null;
}

// `through` stops after the named migration: a test of a later migration starts from the
// schema before it.
export async function migrate(databaseUrl, { log = console.log, through } = {}) {
  const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
  const dir = path.join(root, "prisma/migrations", postgres ? "postgresql" : "sqlite");
  const migrations = fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, "migration.sql")))
    .filter((name) => !through || name <= through)
    .sort();
  const read = (name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  const checksum = (sql) => crypto.createHash("sha256").update(sql).digest("hex");
  let applied = 0;

  if (postgres) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Several instances may start at once: one migrates, the others wait.
      await client.query("SELECT pg_advisory_lock(727274)");
      await client.query(
        'CREATE TABLE IF NOT EXISTS "_app_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const done = new Set((await client.query('SELECT name FROM "_app_migrations"')).rows.map((row) => row.name));
      for (const name of migrations.filter((m) => !done.has(m))) {
        const sql = read(name);
        const step = await dataStep(name);
        await client.query("BEGIN");
        try {
          await client.query(sql);
          if (step) {
            const { rows } = await client.query(step.select);
            for (const [update, params] of step.updates(rows, { postgres: true })) await client.query(update, params);
          }
          await client.query('INSERT INTO "_app_migrations" (name, checksum) VALUES ($1, $2)', [name, checksum(sql)]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${name} failed: ${error.message}`);
        }
        applied++;
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(727274)").catch(() => {});
      await client.end();
    }
  } else {
    const { default: Database } = await import("better-sqlite3");
    const file = databaseUrl.replace(/^file:/, "");
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new Database(file, { timeout: 10_000 });
    try {
      // WAL lets readers and one writer work at once (several processes, one file).
      sqlite.pragma("journal_mode = WAL");
      sqlite.exec(
        'CREATE TABLE IF NOT EXISTS "_app_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)',
      );
      // Prisma's SQLite migrations rebuild a table to change a column (create a copy, drop
      // the old one, rename). With foreign keys on, that DROP deletes every row that
      // references the table through ON DELETE CASCADE (dropping "Account" would take every
      // user with it), and the migrations' own PRAGMA foreign_keys=OFF does nothing inside a
      // transaction. So keys are off while migrating, and each migration must leave none
      // dangling before it commits.
      sqlite.pragma("foreign_keys = OFF");
      const apply = sqlite.transaction((name, sql, step) => {
        if (sqlite.prepare('SELECT 1 FROM "_app_migrations" WHERE name = ?').get(name)) return false;
        sqlite.exec(sql);
        if (step) {
          const rows = sqlite.prepare(step.select).all();
          for (const [update, params] of step.updates(rows, { postgres: false })) {
            // better-sqlite3 binds plain ? in order where PostgreSQL numbers $1, $2.
            const values = [];
            const sql = update.replace(/\$(\d+)/g, (_, n) => {
              values.push(params[Number(n) - 1]);
              return "?";
            });
            sqlite.prepare(sql).run(...values);
          }
        }
        const dangling = sqlite.pragma("foreign_key_check");
        if (dangling.length > 0) throw new Error(`migration ${name} leaves ${dangling.length} broken references`);
        sqlite.prepare('INSERT INTO "_app_migrations" (name, checksum) VALUES (?, ?)').run(name, checksum(sql));
        return true;
      });
      // Data steps are loaded before: a SQLite transaction cannot wait for an import.
      for (const name of migrations) if (apply.immediate(name, read(name), await dataStep(name))) applied++;
      sqlite.pragma("foreign_keys = ON");
    } finally {
      sqlite.close();
    }
  }
  log(
    `migrate: ${applied} migration(s) applied, ${migrations.length} in total (${postgres ? "PostgreSQL" : "SQLite"})`,
  );
  return applied;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL || `file:${path.join(root, ".data", "app.db")}`;
  migrate(url).catch((error) => {
    console.error(`migrate: ${error.message}`);
    process.exit(1);
  });
}
