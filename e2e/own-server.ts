import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
// @ts-expect-error plain ESM script without types
import { serverEntry } from "../scripts/instances.mjs";

// A server of a journey's own: scripts/serve.ts as the build bundles it and `npm start`
// runs it, with the e2e settings and the changes the journey asks for (a trusted proxy,
// another mode).

const root = path.resolve(import.meta.dirname, "..");

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startOwnServer(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [serverEntry()], {
    cwd: root,
    env: { ...process.env, PORT: String(port), APP_URL: url, TRUSTED_PROXIES: "", ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stopping it stops anything the server started.
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const stop = () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`serve.ts exited with ${child.exitCode}: ${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/login`, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (up) return { port, url, stop, pid: child.pid!, exited, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`serve.ts did not start on ${url}: ${output}`);
}

// The server's log lines (README "Logs"), each a JSON object; whatever else it printed
// (Next.js's own notices) is left out.
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}
