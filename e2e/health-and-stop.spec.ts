import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SHUTDOWN_GRACE_MS } from "../lib/config";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";
// @ts-expect-error plain ESM script without types
import { migrate } from "../scripts/migrate.mjs";
import { PASSWORD, seedUser } from "./helpers";
import { startOwnServer } from "./own-server";

// README "Health checks" and "Stopping", against real started servers: /healthz and
// /readyz as a load balancer polls them, readiness failing for a database out of reach or
// behind on its migrations, and a SIGTERM while requests are in flight.

const postgresServer = process.env.E2E_DATABASE_SERVER;
const onPostgres = Boolean(postgresServer && !postgresServer.startsWith("file:"));

async function readyz(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: await response.json() };
}

test("/healthz and /readyz answer without a session or a log line; an idle server stops at once", async () => {
  const server = await startOwnServer({});
  try {
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ alive: true });
    expect(health.headers.get("set-cookie")).toBeNull();
    expect(health.headers.get("cache-control")).toBe("no-store");
    // Polled every second by a load balancer: each answer is quick and says nothing.
    for (let i = 0; i < 20; i++) expect(await readyz(server.port)).toEqual({ status: 200, body: { ready: true } });
    const started = Date.now();
    for (let i = 0; i < 20; i++) await readyz(server.port);
    expect((Date.now() - started) / 20).toBeLessThan(100);
    const post = await fetch(`http://127.0.0.1:${server.port}/readyz`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(server.output()).not.toMatch(/healthz|readyz/);
  } finally {
    // With nothing in flight, a stop takes no grace at all.
    const signalled = Date.now();
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3_000);
  }
});

test("/readyz answers 503 while the database is out of reach or a migration is pending, 200 once applied", async () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "strongsign-ready-"));
  // Out of reach: a database that does not exist on the PostgreSQL server; for SQLite a
  // file whose folder cannot be made, since a regular file stands in its way.
  fs.writeFileSync(path.join(temp, "not-a-folder"), "");
  const unreachable = onPostgres
    ? Object.assign(new URL(postgresServer!), { pathname: `/strongsign_never_created_${Date.now()}` }).toString()
    : `file:${path.join(temp, "not-a-folder", "app.db")}`;
  const migrations = fs.readdirSync(path.join(import.meta.dirname, "../prisma/migrations/sqlite")).sort();
  const behind = await freshDatabase({
    server: postgresServer,
    name: `ready_${crypto.randomBytes(4).toString("hex")}`,
    through: migrations.at(-2),
  });
  const servers = await Promise.all([
    startOwnServer({ DATABASE_URL: unreachable }),
    startOwnServer({ DATABASE_URL: behind.url }),
    // A SQLite file that is not there: the app opens an empty database, with no migration.
    ...(onPostgres ? [] : [startOwnServer({ DATABASE_URL: `file:${path.join(temp, "missing.db")}` })]),
  ]);
  try {
    const [down, pending, missing] = servers;
    expect(await readyz(down.port)).toEqual({ status: 503, body: { ready: false, reason: "database_unreachable" } });
    expect(await readyz(pending.port)).toEqual({ status: 503, body: { ready: false, reason: "migrations_pending" } });
    if (missing)
      expect(await readyz(missing.port)).toEqual({ status: 503, body: { ready: false, reason: "migrations_pending" } });
    // Alive all the same: restarting them would not help.
    for (const server of servers) expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);

    // A failure is never kept: the next poll after the migration says ready.
    await migrate(behind.url, { log: () => {} });
    expect(await readyz(pending.port)).toEqual({ status: 200, body: { ready: true } });
  } finally {
    for (const server of servers) server.stop();
    await behind.drop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
});

// A request whose body the client is still sending: in flight for as long as the test likes.
function trickle(port: number, body: string) {
  let finish = () => {};
  const answer = new Promise<{ status: number; json: { status?: string; token?: string } }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/auth/sign-in",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, json: JSON.parse(text) }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.write(body.slice(0, 10));
    finish = () => request.end(body.slice(10));
  });
  return { answer, finish };
}

async function refused(port: number) {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    (error) => error.cause?.code === "ECONNREFUSED",
  );
}

test("SIGTERM: requests in flight finish, new connections are refused, and the process exits 0", async () => {
  const user = await seedUser();
  const server = await startOwnServer({});
  const body = JSON.stringify({ email: user.email, password: PASSWORD });
  const completes = trickle(server.port, body);
  const stalls = trickle(server.port, body);
  const stalled = stalls.answer.then(
    () => "answered",
    (error: NodeJS.ErrnoException) => error.code,
  );
  // Both requests are on the server before it is told to stop.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const signalled = Date.now();
  process.kill(server.pid, "SIGTERM");
  await expect.poll(() => refused(server.port), { timeout: 5_000 }).toBe(true);

  completes.finish();
  const answer = await completes.answer;
  expect(answer.status).toBe(200);
  expect(answer.json.status).toBe("ok");
  expect(answer.json.token).toBeTruthy();

  // The other never finishes its body: it is cut once the grace has run out, and the
  // process still stops cleanly.
  expect(await server.exited).toBe(0);
  const stoppedAfter = Date.now() - signalled;
  expect(stoppedAfter).toBeGreaterThanOrEqual(SHUTDOWN_GRACE_MS - 500);
  expect(stoppedAfter).toBeLessThan(SHUTDOWN_GRACE_MS + 5_000);
  expect(await stalled).toBe("ECONNRESET");
  expect(server.output()).toContain("serve: still busy after 10 s");
  expect(server.output()).toContain("serve: stopped");
});
