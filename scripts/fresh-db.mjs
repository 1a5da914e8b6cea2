// Creates an empty, migrated database for a test run: a new SQLite file, or a new
// database on the PostgreSQL server named by a postgresql:// URL. Used by the unit-test
// setup and the browser-test server.
import fs from "node:fs";
import path from "node:path";
import { migrate } from "./migrate.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

export async function freshDatabase({ server, name, through }) {
  if (!server || server.startsWith("file:") || server === "sqlite") {
    const file = path.join(root, ".data", "test", `${name}.db`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    const url = `file:${file}`;
    await migrate(url, { log: () => {}, through });
    return {
      url,
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
      },
    };
  }
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const database = `strongsign_${name}`.replace(/[^a-z0-9_]/gi, "_").toLowerCase();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${database}`;
  await migrate(url.toString(), { log: () => {}, through });
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
    },
  };
}

// Whether a PostgreSQL server answers at this URL (tests that need one skip otherwise).
export async function postgresAvailable(server) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
