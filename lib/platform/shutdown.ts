import type http from "node:http";
import { SHUTDOWN_GRACE_MS } from "@/lib/config";
import { db } from "./db";
import { logger } from "./logger";

// Stopping gracefully (README "Stopping"). A piece of work that runs beside the requests (the
// cleanup timer, a delivery loop) registers how to stop it with onStop(). The list and the
// "stopping" mark live on globalThis, as the database client does (lib/platform/db.ts): the
// server's own modules and Next.js's bundle of lib/ are separate copies in one process.

type Stop = () => unknown;
type Shutdown = { stopping: boolean; stops: Stop[] };

const globalForShutdown = globalThis as unknown as { __shutdown?: Shutdown };

function shared(): Shutdown {
  globalForShutdown.__shutdown ??= { stopping: false, stops: [] };
  return globalForShutdown.__shutdown;
}

// `stop` may return a promise, for the work it lets finish; it runs as soon as stopping starts.
export function onStop(stop: Stop) {
  shared().stops.push(stop);
}

export function isStopping() {
  return shared().stopping;
}

// On SIGTERM or SIGINT: refuse new connections, let requests in flight and the registered
// stops finish for at most `graceMs`, then cut what is left, run `finish` (Next.js's own
// close), disconnect the database and exit 0. A second signal changes nothing: `npm start`
// passes on the one a terminal's Ctrl-C has already sent to the whole process group.
export function stopOnSignals(server: http.Server, finish: () => Promise<unknown>, graceMs = SHUTDOWN_GRACE_MS) {
  const stop = async (signal: NodeJS.Signals) => {
    if (shared().stopping) return;
    shared().stopping = true;
    logger.info(`serve: ${signal}, stopping: requests in flight have ${graceMs / 1000} s to finish`);
    const closed = new Promise((resolve) => server.close(resolve));
    const stops = Promise.allSettled(shared().stops.map((each) => Promise.resolve().then(each)));
    const late = new Promise((resolve) => setTimeout(() => resolve("late"), graceMs).unref());
    if ((await Promise.race([Promise.all([closed, stops]), late])) === "late") {
      logger.warn(`serve: still busy after ${graceMs / 1000} s, closing the connections left`);
      server.closeAllConnections();
    }
    await finish().catch((error: Error) => logger.warn(`serve: closing Next.js failed: ${error.message}`));
    await db.$disconnect().catch((error: Error) => logger.warn(`serve: closing the database failed: ${error.message}`));
    logger.info("serve: stopped");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(signal));
}
