#!/usr/bin/env node
// `npm test`: everything, on SQLite and on PostgreSQL.
//   1. schema, derived PostgreSQL schema and migrations agree; Biome (lint and format,
//      lines up to 120) and knip (no unused files, exports, packages) pass
//   2. unit tests (Vitest) on SQLite, then on PostgreSQL
//   3. production build, then the TypeScript compiler over everything (the build's route
//      types included, so the build skips its own pass over the same types), then browser
//      journeys (Playwright, Chromium) on SQLite and PostgreSQL
// PostgreSQL comes from TEST_POSTGRES_URL (default postgresql://root@127.0.0.1:5432/postgres).
// Without a server the PostgreSQL runs are skipped with a message, unless
// REQUIRE_POSTGRES=1 (CI), where that is a failure.
import { spawnSync } from "node:child_process";
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
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
let failedSteps = 0;

function run(title, command, args, extraEnv = {}) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
  const ok = result.status === 0;
  if (!ok) failedSteps++;
  summary.push(`${ok ? "ok  " : "FAIL"} ${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return ok;
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

function unit(label, extraEnv) {
  const file = path.join(reports, `unit-${label}.json`);
  run(
    `unit tests on ${label}`,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
    extraEnv,
  );
  countVitest(file);
}

function browser(label, extraEnv) {
  const file = path.join(reports, `e2e-${label}.json`);
  run(`browser journeys on ${label}`, bin("playwright"), ["test"], { ...extraEnv, E2E_REPORT: file });
  countPlaywright(file);
}

run("schema and migrations agree", "node", ["scripts/prisma.mjs", "check"]);
run("lint and format (Biome)", bin("biome"), ["check", "."]) && run("unused code (knip)", bin("knip"), []);

const postgres = await postgresAvailable(postgresUrl);
if (!postgres) {
  const message = `PostgreSQL is not reachable at ${postgresUrl}: PostgreSQL runs skipped (start it, or set TEST_POSTGRES_URL).`;
  console.log(`\n!!! ${message}`);
  summary.push(`${process.env.REQUIRE_POSTGRES === "1" ? "FAIL" : "skip"} ${message}`);
  if (process.env.REQUIRE_POSTGRES === "1") failedSteps++;
}

unit("SQLite", {});
if (postgres) unit("PostgreSQL", { TEST_DATABASE_URL: postgresUrl });

const built = run("production build", bin("next"), ["build"], { NEXT_BUILD_SKIP_TYPECHECK: "1" });
run("typecheck", bin("tsc"), ["--noEmit"]);
if (built) {
  browser("SQLite", {});
  if (postgres) browser("PostgreSQL", { E2E_DATABASE_SERVER: postgresUrl });
}

console.log(`\n=== summary\n${summary.join("\n")}`);
console.log(
  `tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`,
);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
