import { AsyncLocalStorage } from "node:async_hooks";

// What the app learnt about a request that only scripts/serve.ts, in front of Next.js, can
// answer for: the arguments were not what the server action takes (400), or the database
// could not serve it in time (503). Next.js lets a server action choose no status of its
// own, so the app notes it here and serve.ts answers. serve.ts and the app's bundle each
// load their own copy of this module into the one process, so the store hangs on globalThis.
export type RequestOutcome = { refused?: string; overloaded?: boolean };

const holder = globalThis as unknown as { __requestOutcome?: AsyncLocalStorage<RequestOutcome> };
holder.__requestOutcome ??= new AsyncLocalStorage<RequestOutcome>();
const storage = holder.__requestOutcome;

export function withRequestOutcome<T>(outcome: RequestOutcome, run: () => T): T {
  return storage.run(outcome, run);
}

export function noteRefused(message: string) {
  const outcome = storage.getStore();
  if (outcome) outcome.refused ??= message;
}

export function noteOverloaded() {
  const outcome = storage.getStore();
  if (outcome) outcome.overloaded = true;
}
