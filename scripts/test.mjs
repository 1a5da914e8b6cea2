#!/usr/bin/env node
// `npm test`: everything, on SQLite and on PostgreSQL.
//   1. schema, derived PostgreSQL schema and migrations agree; Biome (lint and format,
//      lines up to 120) and knip (no unused files, exports, packages) pass
//   2. at once: unit tests (Vitest) on SQLite, unit tests on PostgreSQL, and the
//      production build; after the build, the TypeScript compiler over everything (the
//      build's route types included, so the build skips its own pass over the same types)
//   3. browser journeys (Playwright, Chromium) on SQLite, then on PostgreSQL
// The unit runs and the build run side by side because alone each leaves much of the
// machine idle (waiting on the database); each has its own database. The journey runs
// do not: each keeps both cores busy (browser, server, database), and side by side they
// took as long as one after the other, only with every journey slower.
// A step that runs beside others prints its output whole when it ends, so the log reads
// one step at a time; a step that runs alone (the journeys) prints as it goes, so a run
// cut short still shows how far each journey got.
// PostgreSQL comes from TEST_POSTGRES_URL (default postgresql://root@127.0.0.1:5432/postgres).
// Without a server the PostgreSQL runs are skipped with a message, unless
// REQUIRE_POSTGRES=1 (CI), where that is a failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { postgresAvailable } from "./fresh-db.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const reports = path.join(root, ".data", "test", "reports");
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
const postgresUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const bin = (name) => path.join(root, "node_modules/.bin", name);
// Its own build folder (next.config.mjs), so that `npm test` never rebuilds the .next
// that a running `npm start` serves.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || ".next-test" };
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
let failedSteps = 0;

function run(title, command, args, extraEnv = {}, { live = false } = {}) {
  const log = path.join(reports, `${title.replace(/\W+/g, "-")}.log`);
  const out = fs.openSync(log, "w");
  const stepStarted = Date.now();
  console.log(`--- started: ${title}`);
  return new Promise((resolve) => {
    const stdio = live ? ["ignore", "pipe", "pipe"] : ["ignore", out, out];
    const child = spawn(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio });
    if (live) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.on("data", (chunk) => {
          fs.writeSync(out, chunk);
          process.stdout.write(chunk);
        });
      }
    }
    child.on("close", (code) => {
      fs.closeSync(out);
      const ok = code === 0;
      if (!ok) failedSteps++;
      const seconds = ((Date.now() - stepStarted) / 1000).toFixed(0);
      console.log(`\n=== ${title} (${seconds} s)${live ? "" : `\n${fs.readFileSync(log, "utf8")}`}`);
      summary.push(`${ok ? "ok  " : "FAIL"} ${title} (${seconds} s)`);
      resolve(ok);
    });
  });
}

function countVitest(file) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const { stats } = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += stats.expected;
  totals.failed += stats.unexpected + stats.flaky;
  totals.skipped += stats.skipped;
}

async function unit(label, extraEnv) {
  const file = path.join(reports, `unit-${label}.json`);
  await run(
    `unit tests on ${label}`,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
    extraEnv,
  );
  countVitest(file);
}

// Each run its own port (in 4200–4699, where Chromium refuses none) and artifacts folder.
async function browser(label, port, extraEnv) {
  const file = path.join(reports, `e2e-${label}.json`);
  await run(
    `browser journeys on ${label}`,
    bin("playwright"),
    ["test"],
    { ...extraEnv, E2E_REPORT: file, E2E_PORT: String(port), E2E_ARTIFACTS: `e2e/.artifacts/results-${label}` },
    { live: true },
  );
  countPlaywright(file);
}

if (await run("schema and migrations agree", "node", ["scripts/prisma.mjs", "check"])) {
  (await run("lint and format (Biome)", bin("biome"), ["check", "."])) &&
    (await run("unused code (knip)", bin("knip"), []));
}

const postgres = await postgresAvailable(postgresUrl);
if (!postgres) {
  const message = `PostgreSQL is not reachable at ${postgresUrl}: PostgreSQL runs skipped (start it, or set TEST_POSTGRES_URL).`;
  console.log(`\n!!! ${message}`);
  summary.push(`${process.env.REQUIRE_POSTGRES === "1" ? "FAIL" : "skip"} ${message}`);
  if (process.env.REQUIRE_POSTGRES === "1") failedSteps++;
}

const build = run("production build", "node", ["scripts/build.mjs"], { NEXT_BUILD_SKIP_TYPECHECK: "1" }).then(
  async (built) => {
    await run("typecheck", bin("tsc"), ["--noEmit"]);
    return built;
  },
);
await Promise.all([unit("SQLite", {}), postgres && unit("PostgreSQL", { TEST_DATABASE_URL: postgresUrl })]);
if (await build) {
  const base = 4200 + (process.pid % 250);
  await browser("SQLite", base, {});
  if (postgres) await browser("PostgreSQL", base + 250, { E2E_DATABASE_SERVER: postgresUrl });
}

console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s)\n${summary.join("\n")}`);
console.log(
  `tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`,
);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
