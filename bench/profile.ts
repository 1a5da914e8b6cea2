// `npm run bench:load -- --profile`: where a flow's server CPU goes. The instances run
// with Node's own sampling profiler (--cpu-prof), which writes a .cpuprofile when they
// stop; only the samples taken while the largest load level ran are counted (the
// profiler's clock is the machine's monotonic clock, the same as process.hrtime here),
// and each sample's time goes to the group of the function it was in.
import fs from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string };
type ProfileNode = { id: number; callFrame: CallFrame };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

export const PROFILE_GROUPS = [
  "database (Prisma client, its WebAssembly query compiler, drivers)",
  // Next.js ships its app renderer and React's server renderer as one minified bundle,
  // whose function names cannot tell them apart.
  "Next.js server and React rendering (routing, adapters, RSC, HTML)",
  "app bundle (our code and the packages bundled with it)",
  "Node internals (http, streams, async hooks, fetch)",
  "zlib (compression)",
  "garbage collection",
  "other (tsx's loader, logging)",
] as const;
type Group = (typeof PROFILE_GROUPS)[number];

export function groupOf({ functionName, url }: CallFrame): Group | null {
  if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return null;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (url.includes("zlib") || /gzip|deflate|zlib/i.test(functionName)) return "zlib (compression)";
  // The only WebAssembly in the server is Prisma's query compiler.
  if (
    url.startsWith("wasm://") ||
    /@prisma|lib\/generated|better-sqlite3|node_modules\/pg|pg-protocol|pg-pool/.test(url)
  )
    return "database (Prisma client, its WebAssembly query compiler, drivers)";
  if (/node_modules\/(next|react|react-dom)\//.test(url))
    return "Next.js server and React rendering (routing, adapters, RSC, HTML)";
  if (url.includes("/server/chunks/") || url.includes("/lib/") || url.includes("/app/") || url.includes("/scripts/"))
    return "app bundle (our code and the packages bundled with it)";
  if (url.startsWith("node:") || url === "") return "Node internals (http, streams, async hooks, fetch)";
  return "other (tsx's loader, logging)";
}

// Milliseconds of CPU by group, for the samples between two monotonic times (µs).
export function breakdown(profile: CpuProfile, fromUs: number, toUs: number) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = Object.fromEntries(PROFILE_GROUPS.map((group) => [group, 0])) as Record<Group, number>;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (at < fromUs || at > toUs) continue;
    // A sample stands for the time until the next one.
    const next = profile.timeDeltas[i + 1] ?? 0;
    const group = groupOf(nodes.get(profile.samples[i])!);
    if (group) totals[group] += next / 1000;
  }
  return totals;
}

// The profiles the instances wrote into `dir` (one each), grouped over the window and
// divided by the flows done in it.
export function readProfiles(dir: string, fromUs: number, toUs: number, flows: number) {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const perFlow = Object.fromEntries(PROFILE_GROUPS.map((group) => [group, 0])) as Record<Group, number>;
  for (const file of files) {
    const totals = breakdown(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")), fromUs, toUs);
    for (const group of PROFILE_GROUPS) perFlow[group] += totals[group] / flows;
  }
  return { files: files.map((file) => path.join(dir, file)), perFlow };
}

export function printBreakdown(perFlow: Record<Group, number>) {
  const total = PROFILE_GROUPS.reduce((sum, group) => sum + perFlow[group], 0);
  console.log(`main thread, ms of CPU per flow (${total.toFixed(1)} in all; V8's helper threads are not sampled):`);
  for (const group of [...PROFILE_GROUPS].sort((a, b) => perFlow[b] - perFlow[a]))
    console.log(
      `  ${perFlow[group].toFixed(1).padStart(6)}  ${((perFlow[group] / total) * 100).toFixed(0).padStart(3)} %  ${group}`,
    );
}
