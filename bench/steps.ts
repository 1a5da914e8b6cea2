// bench:load's per-step pass (README "Benchmark"): one client alone, before the load
// levels, so that what each step of the flow costs is its own. For every step: the bytes
// of the answer as sent to a browser that accepts gzip (the body before decoding) and
// decoded, the CPU milliseconds of the server processes, and the database statements the
// server ran, read from GET /metrics (strongsign_db_query_duration_seconds_count, one per
// Prisma statement, by kind) of every instance before and after the step.
//
// The server also runs statements of its own: the audit stream's delivery loop makes a
// pass every second in every instance (lib/audit/stream-delivery.ts), the cleanup job one
// at start and every ten minutes (lib/platform/cleanup.ts). Before the pass the instances
// are watched idle for a while: what appears then is the loop's, and when. Each step then
// starts just after a pass, with room before the next one for the step and a settling
// time (statements a request runs after its answer is sent are still counted to it). A
// step that took longer than that room has the loop's passes that fell in its window
// subtracted, and says so; a flow during which the cleanup job ran is done again.
import http from "node:http";
import type { Answer } from "./browser";
import { cpuMs } from "./proc";

type Kinds = Record<string, number>;
type Instance = { queries: Kinds; cleanupAt: number };
type Sample = { at: number; instances: Instance[] };

export type StepFigures = {
  wireBytes: number;
  bytes: number;
  contentEncoding: string;
  cpuMs: number;
  statements: number;
  byKind: Kinds;
  loopPassesSubtracted: number;
};

const QUERY_COUNT = /^strongsign_db_query_duration_seconds_count\{statement="([^"]+)"\}\s+(\S+)$/;
const CLEANUP = /^strongsign_cleanup_last_run_timestamp_seconds\s+(\S+)$/;

function metrics(port: number, token: string): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: "/metrics", headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          if (res.statusCode !== 200)
            return reject(new Error(`bench:load: GET /metrics on ${port}: ${res.statusCode}`));
          const queries: Kinds = {};
          let cleanupAt = 0;
          for (const line of text.split("\n")) {
            const query = QUERY_COUNT.exec(line);
            if (query) queries[query[1]] = Number(query[2]);
            const cleanup = CLEANUP.exec(line);
            if (cleanup) cleanupAt = Number(cleanup[1]);
          }
          resolve({ queries, cleanupAt });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

const sum = (kinds: Kinds) => Object.values(kinds).reduce((a, b) => a + b, 0);

function difference(after: Kinds, before: Kinds): Kinds {
  const result: Kinds = {};
  for (const kind of new Set([...Object.keys(after), ...Object.keys(before)])) {
    const n = (after[kind] ?? 0) - (before[kind] ?? 0);
    if (n !== 0) result[kind] = n;
  }
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const POLL_MS = 10;
// Statements a request still runs after its answer went out are counted to it.
export const SETTLE_MS = 100;
// Room before the next loop pass a step starts with: the step and SETTLE_MS.
const ROOM_MS = 350;
// Distance kept from a predicted pass (the pass is seen up to POLL_MS late, and the
// interval drifts by a millisecond or two a pass).
const MARGIN_MS = 40;

export class StatementCounter {
  // Per instance: when its loop's last pass was seen.
  private lastPass: number[] = [];
  private period = 0;
  // What one pass of the loop runs (in one instance), as seen while idle.
  perPass: Kinds = {};
  passesSeen = 0;
  idleOther: Kinds = {};

  constructor(
    private readonly ports: number[],
    private readonly token: string,
    private readonly pids: () => number[],
  ) {}

  private async sample(): Promise<Sample> {
    const instances = await Promise.all(this.ports.map((port) => metrics(port, this.token)));
    return { at: performance.now(), instances };
  }

  // Watches the idle instances for `ms`: each rise of the count is one of the loop's passes.
  async learn(ms = 3200) {
    let previous = await this.sample();
    const passes: { at: number; instance: number; kinds: Kinds }[] = [];
    const deadline = performance.now() + ms;
    while (performance.now() < deadline) {
      await sleep(POLL_MS);
      const now = await this.sample();
      now.instances.forEach((instance, i) => {
        const kinds = difference(instance.queries, previous.instances[i].queries);
        if (sum(kinds) > 0) passes.push({ at: now.at, instance: i, kinds });
      });
      previous = now;
    }
    this.passesSeen = passes.length;
    if (passes.length === 0) return;
    // The most common pass is the loop's; anything else seen idle is reported as such.
    const shapes = new Map<string, number>();
    for (const pass of passes) {
      const key = JSON.stringify(pass.kinds);
      shapes.set(key, (shapes.get(key) ?? 0) + 1);
    }
    const common = [...shapes].sort((a, b) => b[1] - a[1])[0][0];
    this.perPass = JSON.parse(common) as Kinds;
    for (const pass of passes)
      if (JSON.stringify(pass.kinds) !== common)
        for (const [kind, n] of Object.entries(pass.kinds)) this.idleOther[kind] = (this.idleOther[kind] ?? 0) + n;
    const gaps: number[] = [];
    this.ports.forEach((_, i) => {
      const mine = passes.filter((pass) => pass.instance === i).map((pass) => pass.at);
      for (let j = 1; j < mine.length; j++) gaps.push(mine[j] - mine[j - 1]);
      this.lastPass[i] = mine.at(-1) ?? 0;
    });
    gaps.sort((a, b) => a - b);
    this.period = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
  }

  get loopPeriodMs() {
    return Math.round(this.period);
  }

  // Predicted passes of instance i within [from, to].
  private passesWithin(i: number, from: number, to: number) {
    if (!this.period || !this.lastPass[i]) return 0;
    const first = Math.ceil((from - MARGIN_MS / 2 - this.lastPass[i]) / this.period);
    const last = Math.floor((to - this.lastPass[i]) / this.period);
    return Math.max(0, last - first + 1);
  }

  // Waits, still watching, until no instance's loop is due within ROOM_MS.
  private async quiet() {
    if (!this.period) return;
    let previous = await this.sample();
    for (;;) {
      const now = performance.now();
      if (this.ports.every((_, i) => this.passesWithin(i, now - MARGIN_MS, now + ROOM_MS + MARGIN_MS) === 0)) return;
      await sleep(POLL_MS);
      const next = await this.sample();
      next.instances.forEach((instance, i) => {
        if (sum(difference(instance.queries, previous.instances[i].queries)) > 0) this.lastPass[i] = next.at;
      });
      previous = next;
    }
  }

  // A window like a step's with no request in it: what the subtraction leaves of the
  // server's own statements (0 when it works).
  async control(ms: number): Promise<number> {
    await this.quiet();
    const before = await this.sample();
    await sleep(ms + SETTLE_MS);
    const after = await this.sample();
    return after.instances.reduce(
      (total, instance, i) =>
        total +
        sum(difference(instance.queries, before.instances[i].queries)) -
        sum(this.perPass) * this.passesWithin(i, before.at, after.at),
      0,
    );
  }

  // One step, measured; null when the cleanup job ran meanwhile (the flow is then redone).
  async measure(run: () => Promise<Answer>): Promise<{ answer: Answer; figures: StepFigures | null }> {
    await this.quiet();
    const before = await this.sample();
    const pids = this.pids();
    const cpuBefore = cpuMs(pids);
    const answer = await run();
    const cpu = cpuMs(pids) - cpuBefore;
    await sleep(SETTLE_MS);
    const after = await this.sample();
    if (after.instances.some((instance, i) => instance.cleanupAt !== before.instances[i].cleanupAt))
      return { answer, figures: null };
    let passes = 0;
    const byKind: Kinds = {};
    after.instances.forEach((instance, i) => {
      const within = this.passesWithin(i, before.at, after.at);
      passes += within;
      for (const [kind, n] of Object.entries(difference(instance.queries, before.instances[i].queries)))
        byKind[kind] = (byKind[kind] ?? 0) + n;
      for (const [kind, n] of Object.entries(this.perPass)) byKind[kind] = (byKind[kind] ?? 0) - n * within;
    });
    for (const kind of Object.keys(byKind)) if (byKind[kind] === 0) delete byKind[kind];
    return {
      answer,
      figures: {
        wireBytes: answer.wireBytes,
        bytes: answer.bytes,
        contentEncoding: String(answer.headers["content-encoding"] ?? "identity"),
        cpuMs: cpu,
        statements: sum(byKind),
        byKind,
        loopPassesSubtracted: passes,
      },
    };
  }
}

// The median of each number over the flows; the statements' least and most too.
export function summarize(runs: StepFigures[]) {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  };
  const statements = runs.map((run) => run.statements);
  const kinds = new Set(runs.flatMap((run) => Object.keys(run.byKind)));
  return {
    flows: runs.length,
    gzipBytes: median(runs.map((run) => run.wireBytes)),
    bytes: median(runs.map((run) => run.bytes)),
    contentEncoding: [...new Set(runs.map((run) => run.contentEncoding))].join("/"),
    cpuMs: runs.reduce((a, run) => a + run.cpuMs, 0) / runs.length,
    statements: median(statements),
    statementsMin: Math.min(...statements),
    statementsMax: Math.max(...statements),
    byKind: Object.fromEntries(
      [...kinds].sort().map((kind) => [kind, median(runs.map((run) => run.byKind[kind] ?? 0))]),
    ),
    loopPassesSubtracted: runs.reduce((a, run) => a + run.loopPassesSubtracted, 0),
    runs,
  };
}
