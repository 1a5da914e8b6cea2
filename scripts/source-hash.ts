// What a production build is made from, as one hash: `npm start` compares it with the
// hash stored next to the build and rebuilds when they differ. The files themselves are
// read, not git's commit, so an uncommitted edit or a fresh clone counts too.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = [
  "auth.ts",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "prisma/schema.prisma",
  // Bundled into the build by scripts/build.mjs.
  "scripts/serve.ts",
  "scripts/start-summary.ts",
];
// Made from prisma/schema.prisma, which is hashed instead.
const SKIPPED = new Set(["lib/generated"]);

function filesUnder(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (SKIPPED.has(dir) || !fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, relative);
    return entry.isFile() ? [relative] : [];
  });
}

export function sourceHash(root: string): string {
  const files = [...SOURCE_DIRS.flatMap((dir) => filesUnder(root, dir)), ...SOURCE_FILES].sort();
  const hash = crypto.createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) continue;
    // The name and the length go in too, so moving bytes between files changes the hash.
    const content = fs.readFileSync(full);
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

const stampOf = (distDir: string) => path.join(distDir, "SOURCE_HASH");

// "missing": no build, or one made without a stamp (a bare `next build`); "stale": made
// from other sources than these.
export function buildState(root: string, distDir: string): "current" | "missing" | "stale" {
  if (!fs.existsSync(path.join(distDir, "BUILD_ID")) || !fs.existsSync(stampOf(distDir))) return "missing";
  return fs.readFileSync(stampOf(distDir), "utf8").trim() === sourceHash(root) ? "current" : "stale";
}

// Called after a build of `hash`, taken before the build began: a file edited during the
// build leaves a stamp that no longer matches, so the next start builds again.
export function stampBuild(distDir: string, hash: string) {
  fs.writeFileSync(stampOf(distDir), `${hash}\n`);
}
