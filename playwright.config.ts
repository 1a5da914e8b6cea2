import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { headlessShell } from "./e2e/headless-shell";

// One run = one fresh database and one server. The settings go into process.env so the
// test workers (which seed users through lib/) see the same database and keys.
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${process.pid}`;
// 4200–4699 holds none of the ports Chromium refuses to open (3659, 4045, 4190, …).
process.env.E2E_PORT ??= String(4200 + (process.pid % 500));
process.env.APP_ENV = "test";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.AUTH_SECRET ??= crypto.randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEYS ??= `e2e1:${crypto.randomBytes(32).toString("base64")}`;
process.env.APP_URL = `http://localhost:${process.env.E2E_PORT}`;
process.env.PROJECT_ROOT = import.meta.dirname;
// Audit stream retries half a second apart, doubling, so a journey sees one (README "Audit streaming").
process.env.AUDIT_STREAM_RETRY_BASE_MS ??= "500";
const server = process.env.E2E_DATABASE_SERVER;
const postgresRun = !!server && !server.startsWith("file:");
// On PostgreSQL (two instances behind the balancer) the journeys whose state crosses
// requests and instances, and the database's own tools: signing in by every second step,
// the passkey offered after it, sessions and their ending, remembered browsers, sudo, the API and its tokens, the audit
// stream's leases, backup, restore and dumps, health checks. The rest (account and people
// pages, phone and SMS settings, messages, the pages' look) run in the SQLite pass; every
// rule under them is a unit test run on both databases. This keeps `npm test` within CI's
// 20 minutes (README "Tests").
const POSTGRES_JOURNEYS = [
  "sign-in",
  "two-factor",
  "passkeys",
  "passkey-upgrade",
  "sessions",
  "remember-browser",
  "step-up",
  "api",
  "token-revocation",
  "audit-stream",
  "backup-restore",
  "database-dump",
  "health-and-stop",
];
if (server && !server.startsWith("file:")) {
  const url = new URL(server);
  url.pathname = `/strongsign_e2e_${process.env.E2E_RUN_ID}`.toLowerCase();
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.DATABASE_URL = `file:${path.join(import.meta.dirname, ".data", "test", `e2e_${process.env.E2E_RUN_ID}.db`)}`;
}

// Chromium's headless shell (e2e/headless-shell.ts), or CHROMIUM_PATH.
const executablePath = process.env.CHROMIUM_PATH || headlessShell(import.meta.dirname);

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.E2E_ARTIFACTS ?? "e2e/.artifacts/results",
  fullyParallel: true,
  // One worker per core and one more, since a journey also waits on the server and on its
  // own clock (E2E_WORKERS to choose): 10 % less time than one per core on 2 cores. The
  // budgets below are generous on purpose: on a loaded machine a journey is slow, and only
  // a broken one may fail (journeys of two minutes and more were seen on a busy machine).
  workers: Number(process.env.E2E_WORKERS) || os.availableParallelism() + 1,
  retries: 0,
  timeout: 180_000,
  // A run that hangs stops after 30 minutes and names the journeys it cut short, rather
  // than running on until CI's own limit kills it with nothing said.
  globalTimeout: 30 * 60_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["json", { outputFile: process.env.E2E_REPORT ?? "e2e/.artifacts/report.json" }]],
  use: {
    baseURL: process.env.APP_URL,
    // A trace records every action's screenshots, a cost every journey pays; CI keeps
    // only what it prints (the error and the failure's screenshot path), so it records none.
    trace: process.env.CI ? "off" : "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "journeys",
      testMatch: postgresRun ? POSTGRES_JOURNEYS.map((name) => `${name}.spec.ts`) : undefined,
      testIgnore: /first-run\.spec\.ts/,
      dependencies: ["first-run"],
      use: { ...devices["Desktop Chrome"] },
    },
  ],
  webServer: {
    command: "node e2e/server.mjs",
    url: `${process.env.APP_URL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
