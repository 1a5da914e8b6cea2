// The server the browser tests run against: a fresh database (SQLite, or PostgreSQL
// when E2E_DATABASE_SERVER names one), then the production build under `next start`.
import { spawn } from "node:child_process";
import path from "node:path";
import { freshDatabase } from "../scripts/fresh-db.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const database = await freshDatabase({ server: process.env.E2E_DATABASE_SERVER, name: `e2e_${process.env.E2E_RUN_ID}` });
if (database.url !== process.env.DATABASE_URL) {
  console.error(`e2e server: expected ${process.env.DATABASE_URL}, made ${database.url}`);
  process.exit(1);
}
console.log(`e2e server: ${database.url.startsWith("file:") ? "SQLite" : "PostgreSQL"} database ready`);
const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", process.env.E2E_PORT], { cwd: root, env: process.env, stdio: "inherit" });
const stop = async () => {
  server.kill("SIGTERM");
  await database.drop().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
