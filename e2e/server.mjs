// The server the browser tests run against: a fresh database (SQLite, or PostgreSQL
// when E2E_DATABASE_SERVER names one), then the production build under `next start`.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { freshDatabase } from "../scripts/fresh-db.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const database = await freshDatabase({ server: process.env.E2E_DATABASE_SERVER, name: `e2e_${process.env.E2E_RUN_ID}` });
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

const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", process.env.E2E_PORT], { cwd: root, env: process.env, stdio: "inherit" });
const stop = async () => {
  server.kill("SIGTERM");
  smsProvider.close();
  await database.drop().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
