import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { READINESS_PROBE_TIMEOUT_MS } from "@/lib/config";
import { db, isPostgres } from "./db";
import { isStopping } from "./shutdown";

// What /readyz answers (README "Health checks"): ready when this instance is not stopping,
// its database answers and every migration checked in for that database has been applied,
// as scripts/migrate.mjs records them in "_app_migrations".

export type Readiness =
  | { ready: true }
  | { ready: false; reason: "stopping" | "database_unreachable" | "migrations_pending" };

// `applied`: the names in "_app_migrations", or null when the database did not answer.
export function decideReadiness(stopping: boolean, applied: string[] | null, expected: string[]): Readiness {
  if (stopping) return { ready: false, reason: "stopping" };
  if (applied === null) return { ready: false, reason: "database_unreachable" };
  const done = new Set(applied);
  if (expected.some((name) => !done.has(name))) return { ready: false, reason: "migrations_pending" };
  return { ready: true };
}

// The migrations scripts/migrate.mjs would apply to this database.
export function expectedMigrations(root: string, postgres = isPostgres()) {
  const dir = path.join(root, "prisma/migrations", postgres ? "postgresql" : "sqlite");
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, "migration.sql")))
    .sort();
}

// The query's answer, or `fallback` when it fails or takes too long. Opening the database
// may itself throw (a SQLite file that cannot be created): that is a failure too.
function ask<T>(query: () => Promise<T>, fallback: T): Promise<T> {
  const timeout = new Promise<T>((resolve) => setTimeout(() => resolve(fallback), READINESS_PROBE_TIMEOUT_MS).unref());
  const answer = Promise.resolve()
    .then(query)
    .catch(() => fallback);
  return Promise.race([answer, timeout]);
}

// Migrations are never unapplied, so once they all are only the database's answer is asked
// again: one trivial query per poll. A failure is never kept: the next poll asks afresh.
let allApplied: string[] | null = null;

async function appliedMigrations(): Promise<string[] | null> {
  if (!(await ask(() => db.$queryRawUnsafe("SELECT 1").then(() => true), false))) return null;
  if (allApplied) return allApplied;
  // A database that answers without the record table (one never migrated) has applied none.
  const rows = await ask(
    () => db.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM "_app_migrations"').catch(() => []),
    null,
  );
  return rows === null ? null : rows.map((row) => row.name);
}

export async function readiness(root: string): Promise<Readiness> {
  if (isStopping()) return decideReadiness(true, null, []);
  const applied = await appliedMigrations();
  const expected = allApplied ?? expectedMigrations(root);
  const answer = decideReadiness(isStopping(), applied, expected);
  if (answer.ready) allApplied = expected;
  return answer;
}

// /healthz (the process answers) and /readyz, answered by scripts/serve.ts before anything
// else: no session, no Next.js, no log line, no body check. False for any other address.
export function answerHealthCheck(req: http.IncomingMessage, res: http.ServerResponse, root: string) {
  const pathname = (req.url ?? "").split("?")[0];
  if (pathname !== "/healthz" && pathname !== "/readyz") return false;
  const send = (status: number, body: object, headers: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    req.resume();
    send(405, { error: { code: "method_not_allowed", message: "Use GET or HEAD." } }, { allow: "GET, HEAD" });
  } else if (pathname === "/healthz") send(200, { alive: true });
  // Only a broken checkout (no migrations folder) throws here: a 500, not a crashed server.
  else
    void readiness(root).then(
      (answer) => send(answer.ready ? 200 : 503, answer),
      () => send(500, { ready: false }),
    );
  return true;
}
