// `npm start`: validate the environment, apply migrations, build when there is no build
// or the sources changed since it was made (scripts/source-hash.ts), then serve the
// production build through scripts/serve.ts. NODE_ENV=production makes it strict about secrets;
// otherwise it runs with development secrets generated once into .data/.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type Env, parseEnv } from "../lib/platform/env";
// @ts-expect-error plain ESM config without types
import nextConfig from "../next.config.mjs";
// @ts-expect-error plain ESM script without types
import { heapOption, serverEntry } from "./instances.mjs";
// @ts-expect-error plain ESM script without types
import { migrate } from "./migrate.mjs";
import { buildState, sourceHash, stampBuild } from "./source-hash";
import { startSummary } from "./start-summary";

const root = path.resolve(import.meta.dirname, "..");
let heap: string;
try {
  heap = heapOption();
} catch (error) {
  console.error(`start: refusing to start. ${(error as Error).message}`);
  process.exit(1);
}
const mode = process.env.APP_ENV || (process.env.NODE_ENV === "production" ? "production" : "development");

let settings: Env;
try {
  settings = parseEnv({ ...process.env, APP_ENV: mode });
} catch (error) {
  console.error(`start: refusing to start. ${(error as Error).message}`);
  if (mode === "production")
    console.error("start: production needs AUTH_SECRET and ENCRYPTION_KEYS; see README, Configuration.");
  process.exit(1);
}

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  APP_ENV: settings.APP_ENV,
  DATABASE_URL: settings.DATABASE_URL,
  APP_URL: settings.APP_URL,
  AUTH_SECRET: settings.AUTH_SECRET,
  ENCRYPTION_KEYS:
    process.env.ENCRYPTION_KEYS || settings.ENCRYPTION_KEYS.map((k) => `${k.id}:${k.key.toString("base64")}`).join(","),
  PROJECT_ROOT: root,
  NEXT_TELEMETRY_DISABLED: "1",
};

await migrate(settings.DATABASE_URL);

// The build folder next.config.mjs names (NEXT_DIST_DIR), as scripts/serve.ts will use.
const distDir = path.join(root, (nextConfig as { distDir: string }).distDir);
const sources = sourceHash(root);
const state = buildState(root, distDir);
if (state !== "current" || !fs.existsSync(serverEntry())) {
  console.log(
    state === "stale"
      ? "start: the sources changed since the last build, rebuilding (about a minute)…"
      : "start: no production build of these sources yet, building (about a minute)…",
  );
  const build = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs")], {
    cwd: root,
    env: { ...childEnv, NODE_ENV: "production" },
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  stampBuild(distDir, sources);
}

// scripts/serve.ts, bundled by the build: Next.js behind our own HTTP server, which
// decides the client address.
const server = spawn(process.execPath, [heap, serverEntry()], {
  cwd: root,
  env: { ...childEnv, NODE_ENV: "production" },
  stdio: "inherit",
});
console.log(`start: ${startSummary({ settings, source: process.env, root, port: Number(process.env.PORT || 3000) })}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
