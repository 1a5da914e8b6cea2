// Holds the database from outside the app, as a long migration, a backup or a stuck
// transaction of another process would (tests/platform/overload.test.ts, e2e/faults.spec.ts):
// SQLite's write lock on the whole file; on PostgreSQL a lock on the audit table, which a
// security change writes last, after everything else it changes, so that a transaction
// that runs out of time has written the rest and must take it all back. Returns release().
import Database from "better-sqlite3";
import pg from "pg";

export async function holdDatabase(url) {
  if (url.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("BEGIN");
    await client.query('LOCK TABLE "AuditEvent" IN EXCLUSIVE MODE');
    return async () => {
      await client.query("ROLLBACK");
      await client.end();
    };
  }
  const sqlite = new Database(url.replace(/^file:/, ""));
  sqlite.prepare("BEGIN IMMEDIATE").run();
  return async () => {
    sqlite.prepare("ROLLBACK").run();
    sqlite.close();
  };
}

// One number read by SQL, from a database the caller's Prisma client is not connected to.
export async function countRows(url, sql) {
  if (url.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(sql);
    await client.end();
    return Number(Object.values(rows[0])[0]);
  }
  const sqlite = new Database(url.replace(/^file:/, ""), { readonly: true });
  const value = Number(Object.values(sqlite.prepare(sql).get())[0]);
  sqlite.close();
  return value;
}
