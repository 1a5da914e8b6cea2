// Whether an error means the database could not serve the request in time (README "Request
// bodies and overload"; the bounds are in lib/config.ts), so the answer is 503 with
// Retry-After: the request may well succeed later. Anything else stays a 500.

// Prisma's interactive transactions (P2028): no turn within maxWait, or past the timeout.
const TRANSACTION_TIMEOUTS = ["Unable to start a transaction in the given time", "on an expired transaction"];
// P1008: Prisma's "Operation has timed out", which is how SQLITE_BUSY arrives (another
// process held the write lock past the busy timeout). P2037: PostgreSQL out of connections.
const TIMEOUT_CODES = ["P1008", "P2037"];
// PostgreSQL's lock_not_available, raised when lock_timeout runs out.
const POSTGRES_LOCK_TIMEOUT = "55P03";
// node-postgres's pool, when no connection frees up within connectionTimeoutMillis.
const POOL_TIMEOUT = "timeout exceeded when trying to connect";

export function isOverloadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, cause } = error as Error & { code?: unknown; cause?: { code?: unknown } };
  if (code === "P2028") return TRANSACTION_TIMEOUTS.some((text) => error.message.includes(text));
  if (typeof code === "string" && TIMEOUT_CODES.includes(code)) return true;
  // The driver adapter passes PostgreSQL's own errors on with the SQLSTATE as cause.code.
  if (error.name === "DriverAdapterError" && cause?.code === POSTGRES_LOCK_TIMEOUT) return true;
  return error.message === POOL_TIMEOUT;
}
