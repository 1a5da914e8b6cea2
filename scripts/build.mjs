#!/usr/bin/env node
// `npm run build`: the Next.js production build, then scripts/serve.ts bundled beside it
// (serverEntry(), in the build folder) so that a production server is plain node: no
// TypeScript loader in the process, and none of its source maps (about 100 MB less RSS at
// idle, README "Benchmark"). `npm start`, the browser tests and the benchmark build this way.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build } from "esbuild";
import { serverEntry } from "./instances.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

const next = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit" });
if (next.status !== 0) process.exit(next.status ?? 1);
// The packages stay in node_modules, as Next.js's own server loads them; our code is bundled.
await build({
  entryPoints: [path.join(root, "scripts/serve.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  outfile: serverEntry(),
  logLevel: "warning",
});
