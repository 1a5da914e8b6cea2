import crypto from "node:crypto";
import type http from "node:http";
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  register,
} from "prom-client";
import { env } from "./env";

// The Prometheus series of README "Metrics". prom-client is kept out of the app's bundle
// (next.config.mjs, serverExternalPackages), so scripts/serve.ts and the app share its
// one registry; but each loads its own copy of this module, so a series is made by the
// first copy and found by the second. Labels take a handful of fixed values only: never
// an email, an address or an id.

function counter<L extends string>(config: CounterConfiguration<L>) {
  return (register.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter(config);
}

function gauge<L extends string>(config: GaugeConfiguration<L>) {
  return (register.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge(config);
}

function histogram<L extends string>(config: HistogramConfiguration<L>) {
  return (register.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram(config);
}

if (!register.getSingleMetric("process_cpu_user_seconds_total")) collectDefaultMetrics();

export const signIns = counter({
  name: "strongsign_sign_ins_total",
  help: "Sign-in attempts by outcome and by the method that decided it.",
  labelNames: ["outcome", "method"],
});

export const secondStepLockouts = counter({
  name: "strongsign_second_step_lockouts_total",
  help: "Second steps locked for too many wrong answers.",
});

export const passwordRateLimited = counter({
  name: "strongsign_password_rate_limited_total",
  help: "Password attempts refused by a rate limit before the password was checked.",
});

export const messages = counter({
  name: "strongsign_messages_total",
  help: "Texts and emails handed to their provider (or the outbox), by channel and result.",
  labelNames: ["channel", "result"],
});

export const requestDuration = histogram({
  name: "strongsign_http_request_duration_seconds",
  help: "Time from a request's arrival to the end of its answer.",
  labelNames: ["route_group", "method", "status_class"],
});

const queryDuration = histogram({
  name: "strongsign_db_query_duration_seconds",
  help: "Time the database took for one statement, by its kind.",
  labelNames: ["statement"],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

const activeSessions = gauge({
  name: "strongsign_active_sessions",
  help: "Sessions not yet expired, as counted by the last cleanup run.",
});

const cleanupLastRun = gauge({
  name: "strongsign_cleanup_last_run_timestamp_seconds",
  help: "When the cleanup of expired rows last completed (Unix time).",
});

const STATEMENTS = ["select", "insert", "update", "delete", "begin", "commit", "rollback"];

// One statement as Prisma reports it (lib/platform/db.ts): its SQL and milliseconds.
export function observeQuery(sql: string, durationMs: number) {
  const first = sql.trimStart().split(/\s/, 1)[0].toLowerCase();
  queryDuration.observe({ statement: STATEMENTS.includes(first) ? first : "other" }, durationMs / 1000);
}

export function observeCleanup(options: { activeSessions: number; at: Date }) {
  activeSessions.set(options.activeSessions);
  cleanupLastRun.set(options.at.getTime() / 1000);
}

const digest = (value: string) => crypto.createHash("sha256").update(value).digest();

// Whether an Authorization header carries METRICS_TOKEN. Both sides are hashed first, so
// the comparison takes the same time whatever the length or the first wrong character.
export function metricsTokenMatches(authorization: string | undefined, token: string) {
  const given = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  return crypto.timingSafeEqual(digest(given), digest(token));
}

// GET /metrics, answered by scripts/serve.ts before Next.js (README "Metrics"): 404 while
// METRICS_TOKEN is unset, as for any address that does not exist; 401 without the token.
// Returns whether the request was this one.
export function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse) {
  const token = env().METRICS_TOKEN;
  if (!token || req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") return false;
  if (!metricsTokenMatches(req.headers.authorization, token)) {
    res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain; charset=utf-8" });
    res.end("Unauthorized: /metrics needs Authorization: Bearer and the METRICS_TOKEN.\n");
    return true;
  }
  void register.metrics().then(
    (text) => {
      res.writeHead(200, { "content-type": register.contentType, "cache-control": "no-store" });
      res.end(text);
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
  return true;
}
