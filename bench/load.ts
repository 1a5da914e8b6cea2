// `npm run bench:load`: how many sign-ins a production build serves, and where the time
// goes (README "Benchmark"). A fresh database (SQLite with one instance; PostgreSQL with two
// instances behind the round-robin balancer when BENCH_DATABASE names a server), users
// with an authenticator app seeded through the app's own functions, then K concurrent
// browsers (bench/browser.ts) repeat the flow a browser sends:
//   GET /login → password step → TOTP step → GET /profile → sign out
// First one client alone goes through the flow a few times (bench/steps.ts): per step, the
// bytes of the answer (gzip, as sent to a browser) and the database statements the server
// ran for it. Printed and written to bench/results/<database>.json, next to the baseline
// measured in the same run on the same cores: argon2id verifications per second with the
// app's parameters. Options: --clients 1,4,8,16  --seconds 20  --samples 40  --build  --growth
// (PostgreSQL only: bench/growth.ts's 100k users, 1M sessions, 1M audit events, 100k
// tokens, then the page timings again). docs/bench-load.svg is redrawn from the results.

import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generate } from "otplib";
import { ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST } from "../lib/config";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";
// @ts-expect-error plain ESM script without types
import { createBalancer, serverEntry, startInstances, waitUntilReady } from "../scripts/instances.mjs";
import { type Answer, actionIds, Browser, form } from "./browser";
import { drawChart } from "./chart";
import { cpuMs, rssKiB, tree } from "./proc";
import { printBreakdown, readProfiles } from "./profile";
import { type Percentiles, percentiles } from "./stats";
import { SETTLE_MS, StatementCounter, type StepFigures, summarize } from "./steps";

const root = path.resolve(import.meta.dirname, "..");
const { values: options } = parseArgs({
  options: {
    clients: { type: "string", default: "1,4,8,16" },
    seconds: { type: "string", default: "20" },
    samples: { type: "string", default: "40" },
    build: { type: "boolean", default: false },
    growth: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
  },
});
const levels = options.clients.split(",").map(Number);
const seconds = Number(options.seconds);
const samples = Number(options.samples);
const server = process.env.BENCH_DATABASE;
const postgres = !!server && server.startsWith("postgres");
if (options.growth && !postgres) {
  console.error("bench:load: --growth needs PostgreSQL (BENCH_DATABASE=postgresql://…)");
  process.exit(1);
}

const port = 4300 + (process.pid % 500);
const instancePorts = postgres ? [port + 1000, port + 2000] : [port];
const database = await freshDatabase({ server, name: `bench_load_${process.pid}` });
const settings = {
  APP_ENV: "production",
  DATABASE_URL: database.url,
  APP_URL: `http://localhost:${port}`,
  AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
  ENCRYPTION_KEYS: `bench:${crypto.randomBytes(32).toString("base64")}`,
  PROJECT_ROOT: root,
  NEXT_TELEMETRY_DISABLED: "1",
  // The bench's own, to count each step's database statements at GET /metrics.
  METRICS_TOKEN: crypto.randomBytes(24).toString("base64url"),
};
Object.assign(process.env, settings);

if (options.build || !fs.existsSync(serverEntry())) {
  console.log("bench:load: building (about a minute)…");
  const build = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { db } = await import("../lib/platform/db");
const { hashPassword, verifyPassword } = await import("../lib/sign-in/password");
const { createTotpSetup, confirmTotpSetup } = await import("../lib/factors/totp");
const { createSession } = await import("../lib/sessions/sessions");

const PASSWORD = "bench passphrase that is long";
const request = { ip: "127.0.0.1", userAgent: "bench" };
type FlowUser = { email: string; secret: string; lastStep: number };

// One user per flow within a 30 s step: a TOTP code is accepted once per step and user.
async function seedUsers(accountId: string, count: number, passwordHash: string, prefix: string) {
  const users: FlowUser[] = [];
  const setupAt = new Date(Date.now() - 5 * 60_000);
  const one = async (i: number) => {
    const user = await db.user.create({
      data: { accountId, email: `${prefix}${i}@bench.test`, name: `Bench ${prefix}${i}`, passwordHash },
    });
    const { secret } = await createTotpSetup({ userId: user.id, now: setupAt });
    const code = await generate({ secret, epoch: Math.floor(setupAt.getTime() / 1000) });
    const confirmed = await confirmTotpSetup({ userId: user.id, code, request, now: setupAt });
    if (!confirmed.ok) throw new Error(`bench:load: TOTP setup failed: ${confirmed.error}`);
    users.push({ email: user.email, secret, lastStep: 0 });
    return user;
  };
  for (let i = 0; i < count; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => one(i + j)));
  return users;
}

const step = () => Math.floor(Date.now() / 30_000);

class UserPool {
  constructor(private readonly users: FlowUser[]) {}
  waits = 0;
  async take(): Promise<FlowUser> {
    for (;;) {
      const user = this.users[0];
      if (user.lastStep < step()) {
        this.users.push(this.users.shift()!);
        user.lastStep = step();
        return user;
      }
      this.waits++;
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 50));
    }
  }
}

const STEPS = ["GET /login", "password step", "TOTP step", "GET /profile", "sign out"] as const;
type StepName = (typeof STEPS)[number];

let ids: Record<string, string>;
const actionId = (key: string) => {
  const id = ids[key];
  if (!id) throw new Error(`bench:load: no server action ${key} in the build`);
  return id;
};

function expect(ok: boolean, what: string, answer: { status: number; body: string }) {
  if (!ok) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.slice(0, 200).replace(/\s+/g, " ")}`);
}

// Where a server action sent the browser (Next.js answers "path;push", Auth.js's own
// redirects are absolute URLs).
function redirectedTo(answer: Answer) {
  const target = String(answer.headers["x-action-redirect"] ?? "").split(";")[0];
  return target.startsWith("http") ? new URL(target).pathname : target;
}

// Each step of a flow goes through this: timed under load, measured in the per-step pass.
type Around = (name: StepName, run: () => Promise<Answer>) => Promise<Answer>;

// One sign-in as a browser sends it.
async function flow(browser: Browser, user: FlowUser, timed: Around) {
  const page = await timed("GET /login", () => browser.get("/login"));
  expect(page.status === 200, "GET /login", page);
  const password = await timed("password step", () =>
    browser.action("/login", ["login"], actionId("app/login/actions.ts#loginAction"), [
      {},
      form({ email: user.email, password: PASSWORD }),
    ]),
  );
  expect(redirectedTo(password).startsWith("/login/two-factor"), "password step", password);
  const code = await generate({ secret: user.secret });
  // The code's own step: a flow taken just before a step ended sends the next step's code,
  // and the user must then sit that step out too.
  user.lastStep = Math.max(user.lastStep, step());
  // The code form's script posts it and follows the answer with a page load (GET /profile).
  const second = await timed("TOTP step", () =>
    browser.fetchForm("/login/two-factor/verify", form({ kind: "code", code })),
  );
  expect(second.status === 200 && JSON.parse(second.body).to === "/profile", "TOTP step", second);
  const profile = await timed("GET /profile", () => browser.get("/profile"));
  expect(profile.status === 200 && profile.body.includes(user.email), "GET /profile", profile);
  // A plain form; the browser follows the 303 to GET /login, the next flow's first step.
  const out = await timed("sign out", () => browser.submit("/sign-out"));
  expect(out.status === 303 && String(out.headers.location).startsWith("/login"), "sign out", out);
  expect(![...browser.cookies.keys()].some((name) => name.includes("session-token")), "sign out cookie", out);
}

type Level = {
  clients: number;
  // The level's window on the machine's monotonic clock, µs (bench/profile.ts).
  windowUs: [number, number];
  seconds: number;
  flows: number;
  errors: number;
  flowsPerSec: number;
  cpuMsPerFlow: number;
  peakRssMiB: number;
  userWaits: number;
  steps: Record<StepName, Percentiles>;
};

let nextAddress = 2;
async function runLevel(clients: number, durationS: number, pool: UserPool, pids: () => number[]): Promise<Level> {
  const times = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<StepName, number[]>;
  const browsers = Array.from({ length: clients }, () => new Browser(port, `127.0.0.${nextAddress++}`));
  // The time of each step until its whole answer.
  const timed: Around = async (name, run) => {
    const started = performance.now();
    const result = await run();
    times[name].push(performance.now() - started);
    return result;
  };
  let flows = 0;
  let errors = 0;
  let peakRss = 0;
  const waitsBefore = pool.waits;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssKiB(pids()));
  }, 250);
  const cpuBefore = cpuMs(pids());
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const started = performance.now();
  const deadline = started + durationS * 1000;
  await Promise.all(
    browsers.map(async (browser) => {
      while (performance.now() < deadline) {
        try {
          await flow(browser, await pool.take(), timed);
          flows++;
        } catch (error) {
          errors++;
          if (errors <= 3) console.error(`  flow failed: ${(error as Error).message}`);
          browser.cookies.clear();
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const cpu = cpuMs(pids()) - cpuBefore;
  clearInterval(sampler);
  for (const browser of browsers) browser.close();
  return {
    clients,
    windowUs: [fromUs, toUs],
    seconds: Math.round(elapsed * 10) / 10,
    flows,
    errors,
    flowsPerSec: flows / elapsed,
    cpuMsPerFlow: flows ? cpu / flows : 0,
    peakRssMiB: Math.round(peakRss / 1024),
    userWaits: pool.waits - waitsBefore,
    steps: Object.fromEntries(STEPS.map((s) => [s, percentiles(times[s])])) as Record<StepName, Percentiles>,
  };
}

// The per-step pass (bench/steps.ts): one client alone, `flows` flows, each step measured
// between two loop passes. A flow the cleanup job ran into is done again.
async function stepPass(flows: number, pool: UserPool, pids: () => number[]) {
  const counter = new StatementCounter(instancePorts, settings.METRICS_TOKEN, pids);
  await counter.learn();
  const browser = new Browser(port, `127.0.0.${nextAddress++}`, "gzip");
  const runs = Object.fromEntries(STEPS.map((s) => [s, [] as StepFigures[]])) as Record<StepName, StepFigures[]>;
  let redone = 0;
  const control: number[] = [];
  for (let done = 0; done < flows; ) {
    const figures: Partial<Record<StepName, StepFigures>> = {};
    let disturbed = false;
    await flow(browser, await pool.take(), async (name, run) => {
      const measured = await counter.measure(run);
      if (measured.figures) figures[name] = measured.figures;
      else disturbed = true;
      return measured.answer;
    });
    if (disturbed) {
      if (++redone > flows) throw new Error("bench:load: the cleanup job kept running into the per-step pass");
      continue;
    }
    for (const s of STEPS) runs[s].push(figures[s]!);
    control.push(await counter.control(100));
    done++;
  }
  browser.close();
  return {
    flows,
    redone,
    // Statements left in a 100 ms window with no request, once per flow.
    control,
    acceptEncoding: "gzip",
    loop: {
      perPassPerInstance: counter.perPass,
      periodMs: counter.loopPeriodMs,
      passesSeenIdle: counter.passesSeen,
      otherIdleStatements: counter.idleOther,
    },
    steps: Object.fromEntries(STEPS.map((s) => [s, summarize(runs[s])])) as Record<
      StepName,
      ReturnType<typeof summarize>
    >,
  };
}

function printStepPass(pass: Awaited<ReturnType<typeof stepPass>>) {
  const n = (value: number) => value.toLocaleString("en").replace(/,/g, " ");
  const kinds = (byKind: Record<string, number>) =>
    Object.entries(byKind)
      .filter(([, count]) => count)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(" · ");
  const rows = STEPS.map((s) => {
    const step = pass.steps[s];
    const statements =
      step.statementsMin === step.statementsMax
        ? String(step.statements)
        : `${step.statements} (${step.statementsMin}–${step.statementsMax})`;
    return [
      s,
      n(step.gzipBytes),
      step.contentEncoding,
      n(step.bytes),
      step.cpuMs.toFixed(0),
      statements,
      kinds(step.byKind),
    ];
  });
  const total = (pick: (step: ReturnType<typeof summarize>) => number) =>
    STEPS.reduce((sum, s) => sum + pick(pass.steps[s]), 0);
  rows.push([
    "whole flow",
    n(total((step) => step.gzipBytes)),
    "",
    n(total((step) => step.bytes)),
    total((step) => step.cpuMs).toFixed(0),
    String(total((step) => step.statements)),
    "",
  ]);
  const head = ["step", "sent B", "encoding", "decoded B", "CPU ms", "statements", "by kind"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) =>
    `  ${row.map((cell, i) => (i === 0 || i >= 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")}`.trimEnd();
  console.log(
    `per step, one client alone (${pass.flows} flows, medians; CPU ms their mean, in 10 ms ticks; answers as sent to accept-encoding: ${pass.acceptEncoding}):`,
  );
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  const loop = pass.loop;
  const subtracted = STEPS.reduce((sum, s) => sum + pass.steps[s].loopPassesSubtracted, 0);
  console.log(
    `  statements: strongsign_db_query_duration_seconds_count from GET /metrics of ${instancePorts.length === 1 ? "the instance" : `all ${instancePorts.length} instances, added`}, ` +
      `before each step and ${SETTLE_MS} ms after its answer. Idle for 3 s first: ` +
      (loop.passesSeenIdle
        ? `the audit stream's delivery loop ran ${kinds(loop.perPassPerInstance)} a pass every ${loop.periodMs} ms per instance` +
          (Object.keys(loop.otherIdleStatements).length
            ? ` (and other statements: ${kinds(loop.otherIdleStatements)})`
            : "") +
          `; each step started just after a pass, ${subtracted} pass(es) fell in a step's window and were subtracted`
        : "no statement ran, nothing subtracted") +
      `; a window with no request, counted the same way, left ${pass.control.join(", ")} statement(s); ` +
      `${pass.redone} flow(s) redone because the cleanup job ran.` +
      (STEPS.some((s) => (pass.steps[s].byKind.commit ?? 0) > (pass.steps[s].byKind.begin ?? 0))
        ? " A transaction shows its COMMIT but no BEGIN here: the driver adapter runs BEGIN itself, outside Prisma's query log."
        : "") +
      "\n",
  );
}

// argon2id verifications per second with the app's parameters, one per core at a time.
async function argon2Baseline(durationS: number) {
  const hash = await hashPassword(PASSWORD);
  const parallel = os.availableParallelism();
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationS * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        if (!(await verifyPassword(hash, PASSWORD))) throw new Error("bench:load: argon2 baseline failed");
        count++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return {
    parallel,
    verificationsPerSec: count / ((performance.now() - started) / 1000),
    // CPU time per verification: unlike the rate, it hardly changes when other jobs
    // share the cores, and so neither does the CPU-time ratio below.
    cpuMsPerVerification: (cpu.user + cpu.system) / 1000 / count,
  };
}

// The pages the growth goal is about, one request at a time, as the account's owner.
async function pageTimings(owner: FlowUser, token: string) {
  const browser = new Browser(port, `127.0.0.${nextAddress++}`);
  browser.cookies.set("authjs.session-token", token);
  const result: Record<string, Percentiles> = {};
  for (const [name, pathname, marker] of [
    ["My Profile", "/profile", owner.email],
    ["Account settings → Users", "/account/users", "Users"],
    ["Audit log", "/account/audit", "Audit log"],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const started = performance.now();
      const answer = await browser.get(pathname);
      if (i >= 5) times.push(performance.now() - started);
      expect(answer.status === 200 && answer.body.includes(marker), `GET ${pathname}`, answer);
    }
    result[name] = percentiles(times);
  }
  const stranger = new Browser(port, `127.0.0.${nextAddress++}`);
  const times: number[] = [];
  for (let i = 0; i < Math.ceil(samples / 2) + 3; i++) {
    stranger.cookies.clear();
    const started = performance.now();
    const answer = await stranger.action("/login", ["login"], actionId("app/login/actions.ts#loginAction"), [
      {},
      form({ email: owner.email, password: PASSWORD }),
    ]);
    if (i >= 3) times.push(performance.now() - started);
    expect(redirectedTo(answer).startsWith("/login/two-factor"), "password step", answer);
  }
  result["password step"] = percentiles(times);
  browser.close();
  stranger.close();
  return result;
}

// JavaScript a page loads (its <script src> files), gzip-compressed (what a server with
// compression sends).
async function scriptBytes(pathname: string, token?: string) {
  const browser = new Browser(port, "127.0.0.1");
  if (token) browser.cookies.set("authjs.session-token", token);
  const page = await browser.get(pathname);
  // A modern browser skips the nomodule polyfills.
  const tags = [...page.body.matchAll(/<script([^>]*)\ssrc="([^"]+)"([^>]*)>/g)].filter(
    (m) => !/\bnomodule\b/i.test(m[1] + m[3]),
  );
  const sources = [...new Set(tags.map((m) => m[2]))];
  const zlib = await import("node:zlib");
  let raw = 0;
  let gzip = 0;
  for (const source of sources) {
    const script = await browser.get(source.replace(/&amp;/g, "&"));
    raw += Buffer.byteLength(script.body);
    gzip += zlib.gzipSync(script.body).length;
  }
  browser.close();
  return { scripts: sources.length, rawBytes: raw, gzipBytes: gzip };
}

// With --profile, each instance writes a .cpuprofile here when it stops.
const profileDir = path.join(root, "bench/results/profile");
if (options.profile) fs.rmSync(profileDir, { recursive: true, force: true });
const servers = startInstances({
  ports: instancePorts,
  env: { ...process.env, ...settings },
  stdio: ["ignore", "ignore", "inherit"],
  nodeOptions: options.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
});
const balancer = postgres ? createBalancer(instancePorts) : null;
const serverPids = () => servers.flatMap((child: { pid: number }) => tree(child.pid));
// The servers and everything they started, then the database; also on Ctrl-C.
async function stop(code: number) {
  const pids = serverPids();
  const exited = servers.map(
    (child: { exitCode: number | null; once: (event: string, listener: () => void) => void }) =>
      new Promise<void>((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve())),
  );
  for (const pid of pids) signal(pid, "SIGTERM");
  balancer?.close();
  await db.$disconnect();
  // A graceful stop lets the profiler write its file; a stuck instance is killed.
  await Promise.race([
    Promise.all(exited),
    new Promise((resolve) => setTimeout(resolve, options.profile ? 20_000 : 2000)),
  ]);
  for (const pid of pids) signal(pid, "SIGKILL");
  if (options.profile && code === 0 && profiled) {
    const { files, perFlow } = readProfiles(profileDir, profiled.windowUs[0], profiled.windowUs[1], profiled.flows);
    console.log(`
CPU profile of the K=${profiled.clients} level (${profiled.flows} flows): ${files.map((f) => path.relative(root, f)).join(", ")}`);
    printBreakdown(perFlow);
  }
  await database.drop().catch(() => {});
  process.exit(code);
}
function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
for (const name of ["SIGINT", "SIGTERM"] as const) process.on(name, () => void stop(130));

let exitCode = 0;
// The level the profile is read over: K=8 when it ran, else the largest.
let profiled: Level | undefined;
try {
  const passwordHash = await hashPassword(PASSWORD);
  // The owner's account holds only the owner until --growth makes it the largest; the
  // users who sign in under load are in an account of their own.
  const account = await db.account.create({ data: { name: "Bench" } });
  const [owner] = await seedUsers(account.id, 1, passwordHash, "owner");
  const crowd = await db.account.create({ data: { name: "Bench sign-ins" } });
  await db.user.update({ where: { email: owner.email }, data: { role: "OWNER" } });
  // 40 a client, and enough for the warm-up (two clients) and the per-step pass.
  const userCount = Math.max(...levels, 4) * 40;
  console.log(`bench:load: seeding ${userCount} users with an authenticator app…`);
  const pool = new UserPool(await seedUsers(crowd.id, userCount, passwordHash, "u"));

  await Promise.all(instancePorts.map((p) => waitUntilReady(p, "bench:load: instance")));
  if (balancer) await new Promise<void>((resolve) => balancer.listen(port, "127.0.0.1", resolve));
  ids = actionIds(root);
  const load = fs.readFileSync("/proc/loadavg", "utf8").trim();
  const kind = postgres ? "PostgreSQL" : "SQLite";
  console.log(
    `bench:load: ${kind}, ${instancePorts.length} instance(s), ${os.availableParallelism()} cores, node ${process.version}, load ${load}`,
  );

  console.log("warming up…");
  await runLevel(2, 8, pool, serverPids);
  const argon2 = await argon2Baseline(6);
  const stepFigures = await stepPass(3, pool, serverPids);
  console.log(
    `baseline: argon2id (m=${ARGON2_MEMORY_KIB} KiB, t=${ARGON2_TIME_COST}, p=${ARGON2_PARALLELISM}) ${argon2.verificationsPerSec.toFixed(1)} verifications/s on ${argon2.parallel} cores, ` +
      `${argon2.cpuMsPerVerification.toFixed(0)} ms CPU each\n`,
  );
  printStepPass(stepFigures);

  const results: Level[] = [];
  for (const clients of levels) {
    const level = await runLevel(clients, seconds, pool, serverPids);
    results.push(level);
    const p = (s: StepName) =>
      `${level.steps[s].p50.toFixed(0)}/${level.steps[s].p95.toFixed(0)}/${level.steps[s].p99.toFixed(0)}`;
    console.log(
      `K=${String(clients).padStart(2)}  ${level.flowsPerSec.toFixed(2).padStart(6)} flows/s (${(level.flowsPerSec / argon2.verificationsPerSec).toFixed(2)}× argon2)  ` +
        `${level.flows} flows, ${level.errors} errors, CPU ${level.cpuMsPerFlow.toFixed(0)} ms/flow ` +
        `(${(argon2.cpuMsPerVerification / level.cpuMsPerFlow).toFixed(2)}× the hash's), peak RSS ${level.peakRssMiB} MiB`,
    );
    console.log(`      p50/p95/p99 ms: ${STEPS.map((s) => `${s} ${p(s)}`).join(" · ")}`);
  }

  const ownerUser = await db.user.findUniqueOrThrow({ where: { email: owner.email } });
  const { token } = await createSession(db, { userId: ownerUser.id, request });
  const javascript = {
    "/login": await scriptBytes("/login"),
    "/profile": await scriptBytes("/profile", token),
    // A page with nothing of ours on it: what every page of this Next.js app loads.
    "404 page": await scriptBytes("/no-such-page"),
  };
  console.log(
    `\nJS (gzip): /login ${javascript["/login"].gzipBytes} B, /profile ${javascript["/profile"].gzipBytes} B, a 404 page ${javascript["404 page"].gzipBytes} B`,
  );

  const pages: { empty: Record<string, Percentiles>; grown?: Record<string, Percentiles>; growth?: unknown } = {
    empty: await pageTimings(owner, token),
  };
  if (options.growth) {
    const { seedGrowth } = await import("./growth");
    pages.growth = await seedGrowth(account.id, passwordHash);
    pages.grown = await pageTimings(owner, token);
  }
  console.log("\np95 ms, one request at a time (owner of the largest account):");
  for (const name of Object.keys(pages.empty)) {
    const grown = pages.grown?.[name];
    console.log(
      `  ${name.padEnd(26)} ${pages.empty[name].p95.toFixed(1).padStart(7)}` +
        (grown
          ? `  grown ${grown.p95.toFixed(1).padStart(7)}  ratio ${(grown.p95 / pages.empty[name].p95).toFixed(2)}`
          : ""),
    );
  }

  const k8 = results.find((r) => r.clients === 8);
  profiled = k8 ?? results.at(-1);
  const report = {
    database: kind,
    instances: instancePorts.length,
    cores: os.availableParallelism(),
    node: process.version,
    loadavgBefore: load,
    loadavgAfter: fs.readFileSync("/proc/loadavg", "utf8").trim(),
    date: new Date().toISOString(),
    argon2,
    perStep: stepFigures,
    levels: results,
    javascript,
    pages,
    goals: k8 && {
      flowsPerSecVsArgon2AtK8: k8.flowsPerSec / argon2.verificationsPerSec,
      profileP95AtK8: k8.steps["GET /profile"].p95,
      hashCpuShareAtK8: argon2.cpuMsPerVerification / k8.cpuMsPerFlow,
    },
  };
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  const file = path.join(root, `bench/results/${kind.toLowerCase()}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  drawChart(path.join(root, "bench/results"), path.join(root, "docs/bench-load.svg"));
  console.log(`\nwritten: ${path.relative(root, file)}, docs/bench-load.svg; load ${report.loadavgAfter}`);
} catch (error) {
  console.error(`bench:load: ${(error as Error).stack ?? error}`);
  exitCode = 1;
} finally {
  await stop(exitCode);
}
