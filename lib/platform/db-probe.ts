import { db } from "./db";

// Whether the database answers a trivial query within a few seconds. Asked only after a
// request has failed, to tell "the database is down" (503, try again) from a bug (500);
// the answer is kept briefly so that a burst of failures makes one probe, not hundreds.
const PROBE_TIMEOUT_MS = 3_000;
const PROBE_CACHE_MS = 2_000;
let last: { at: number; answer: Promise<boolean> } | null = null;

export function databaseAnswers(now = Date.now()): Promise<boolean> {
  if (last && now - last.at < PROBE_CACHE_MS) return last.answer;
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref());
  // Opening the database may itself throw (a SQLite file that cannot be created): a "no".
  const probe = Promise.resolve()
    .then(() => db.$queryRawUnsafe("SELECT 1"))
    .then(
      () => true,
      () => false,
    );
  last = { at: now, answer: Promise.race([probe, timeout]) };
  return last.answer;
}
