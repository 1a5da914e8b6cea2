// The server the browser tests run against: a fresh database (SQLite, or PostgreSQL
// when E2E_DATABASE_SERVER names one), then the production build
// served as `npm start` serves it (scripts/serve.ts).
import http from "node:http";
import { freshDatabase } from "../scripts/fresh-db.mjs";
import { createBalancer, startInstances, waitUntilReady } from "../scripts/instances.mjs";

const database = await freshDatabase({
  server: process.env.E2E_DATABASE_SERVER,
  name: `e2e_${process.env.E2E_RUN_ID}`,
});
if (database.url !== process.env.DATABASE_URL) {
  console.error(`e2e server: expected ${process.env.DATABASE_URL}, made ${database.url}`);
  process.exit(1);
}
console.log(`e2e server: ${database.url.startsWith("file:") ? "SQLite" : "PostgreSQL"} database ready`);
// A stand-in for a Twilio-compatible SMS provider on this machine: numbers ending in
// 0000 fail (to exercise the fallback to email), the rest are accepted.
const smsProvider = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (chunk) => (raw += chunk));
  req.on("end", () => {
    const failing = (new URLSearchParams(raw).get("To") ?? "").endsWith("0000");
    res.writeHead(failing ? 500 : 201, { "content-type": "application/json" });
    res.end(JSON.stringify(failing ? { message: "carrier unreachable" } : { sid: `SM${Date.now()}` }));
  });
});
await new Promise((resolve) => smsProvider.listen(0, "127.0.0.1", resolve));
Object.assign(process.env, {
  TWILIO_ACCOUNT_SID: "ACe2e",
  TWILIO_AUTH_TOKEN: "e2e-token",
  TWILIO_FROM: "+15005550006",
  TWILIO_BASE_URL: `http://127.0.0.1:${smsProvider.address().port}`,
});

// On PostgreSQL, two app instances behind a round-robin balancer on E2E_PORT, as in
// docs/architecture.md, "Where state lives": one request goes to one instance, the next to
// the other, so every journey also proves that no step depends on the instance that served
// the step before. The embedded SQLite file is for a single instance, reached directly as
// `npm start` is, so it sees the browser's own address.
// The instances' log (README "Logs") shows what went wrong, not every request.
process.env.LOG_LEVEL ??= "warn";
const instances = Number(process.env.E2E_INSTANCES ?? (database.url.startsWith("file:") ? 1 : 2));
const port = Number(process.env.E2E_PORT);
const ports = instances === 1 ? [port] : Array.from({ length: instances }, (_, i) => port + 1000 * (i + 1));
const servers = startInstances({ ports });
await Promise.all(ports.map((port) => waitUntilReady(port, "e2e server: instance")));

const balancer = instances === 1 ? null : createBalancer(ports);
if (balancer) {
  await new Promise((resolve) => balancer.listen(port, resolve));
  console.log(`e2e server: ${instances} instances (ports ${ports.join(", ")}) behind http://localhost:${port}`);
} else {
  console.log(`e2e server: one instance at http://localhost:${port}`);
}

const stop = async () => {
  for (const server of servers) server.kill("SIGTERM");
  balancer?.close();
  smsProvider.close();
  await database.drop().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
for (const server of servers) server.on("exit", (code) => process.exit(code ?? 0));
