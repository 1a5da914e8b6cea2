// Production app instances (scripts/serve.ts, as `npm start` runs it) and the round-robin
// balancer in front of several of them. Shared by the browser-test server (e2e/server.mjs)
// and the load benchmark (bench/load.ts).
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import nextConfig from "../next.config.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

// scripts/serve.ts as scripts/build.mjs bundles it, in the build folder next.config.mjs names.
export function serverEntry() {
  return path.join(root, nextConfig.distDir, "serve.mjs");
}

// How large each instance's JavaScript heap may grow (HEAP_LIMIT_MIB, README
// "Configuration"). Without a limit V8 sizes it from the machine's memory and lets it grow
// long before collecting: one instance under eight concurrent sign-ins peaked at 511 MiB
// of memory, and 329 MiB with 256 (README "Benchmark"), at the same CPU per sign-in.
export function heapOption(env = process.env) {
  const value = env.HEAP_LIMIT_MIB || "256";
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib < 128)
    throw new Error(`HEAP_LIMIT_MIB must be a whole number of MiB, 128 or more (got ${JSON.stringify(value)})`);
  return `--max-old-space-size=${mib}`;
}

// One instance per port. Behind the balancer, which appends the address it saw to
// X-Forwarded-For, an instance trusts one hop; a single one is reached directly.
// `nodeOptions`: more options for node (the benchmark's profiler).
export function startInstances({ ports, env = process.env, stdio = "inherit", nodeOptions = [] }) {
  const trustedProxies = ports.length > 1 ? "1" : "";
  return ports.map((port) =>
    spawn(process.execPath, [heapOption(env), ...nodeOptions, serverEntry()], {
      cwd: root,
      env: { ...env, NODE_ENV: "production", PORT: String(port), TRUSTED_PROXIES: trustedProxies },
      stdio,
    }),
  );
}

export async function waitUntilReady(port, what = "instance") {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/login`, { redirect: "manual" }).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} on port ${port} did not start`);
}

// One request to one instance, the next to the other (docs/architecture.md, "Where state
// lives"), so no step may depend on the instance that served the step before. Not yet
// listening.
export function createBalancer(ports) {
  let turn = 0;
  return http.createServer((req, res) => {
    const port = ports[turn++ % ports.length];
    const forwardedFor = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const headers = { ...req.headers, "x-forwarded-for": forwardedFor };
    const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      // An answer given before the whole body arrived (a 413 mid-upload): the rest of the
      // body is read and dropped here, as serve.ts does, so the client's connection stays
      // usable for its next request, and the instance's half-sent request is let go.
      answer.on("end", () => {
        if (req.complete) return;
        req.unpipe(upstream);
        upstream.destroy();
        req.resume();
      });
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
}
