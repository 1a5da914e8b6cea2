import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

// The browser the journeys run in: Chromium's headless shell, the build of Chromium made
// for automation (Playwright's own default for headless runs), as the npm package
// @sparticuz/chromium carries it. Debian's Chromium runs headless as the whole browser,
// window and toolbar included: for the same journeys it spent three times the CPU, most of
// a run's. Only the package's brotli-compressed binary is used, inflated once, on first
// use, into .data/headless-shell/<version>/; its JavaScript, which asks for Node.js 22
// (npm warns of that engine when installing), is never run. The binary runs on the
// libraries and fonts that Debian's Chromium brings (.ci/run installs it);
// CHROMIUM_PATH=/usr/bin/chromium runs the journeys in that instead.
export function headlessShell(root: string): string {
  const packageDir = path.join(root, "node_modules", "@sparticuz", "chromium");
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const binary = path.join(root, ".data", "headless-shell", version, "chromium");
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  // Written aside and renamed, so that no process ever starts a half-written binary.
  const partial = `${binary}.${process.pid}`;
  fs.writeFileSync(partial, zlib.brotliDecompressSync(fs.readFileSync(path.join(packageDir, "bin", "chromium.br"))), {
    mode: 0o755,
  });
  fs.renameSync(partial, binary);
  return binary;
}
