import {
  AUDIT_DELIVERY_RETENTION_MS,
  CLEANUP_INTERVAL_MS,
  EXPIRED_ROWS_KEPT_MS,
  OUTBOUND_MESSAGE_RETENTION_MS,
  RATE_LIMIT_LONGEST_WINDOW_MS,
} from "@/lib/config";
import { db } from "./db";
import { logger } from "./logger";
import { observeCleanup } from "./metrics";

// Rows that can never be used again (expired over a day ago, see EXPIRED_ROWS_KEPT_MS),
// deleted so that no table grows without bound (docs/architecture.md, "Where state lives").
// Each deletion is by a condition that stays true once true (an expiry in the past, an
// age), so any number of instances may run it at once: a row one of them has already
// deleted is simply not there for the others. Deleted in batches by id, so a large backlog
// never holds a long lock (SQLite has one writer).

const BATCH = 1_000;

type Expirable = {
  findMany(args: { where: object; select: { id: true }; take: number }): Promise<{ id: string }[]>;
  deleteMany(args: { where: object }): Promise<{ count: number }>;
};

async function deleteInBatches(model: Expirable, where: object) {
  let deleted = 0;
  for (;;) {
    const rows = await model.findMany({ where, select: { id: true }, take: BATCH });
    if (rows.length === 0) return deleted;
    const { count } = await model.deleteMany({ where: { ...where, id: { in: rows.map((row) => row.id) } } });
    deleted += count;
    if (rows.length < BATCH) return deleted;
  }
}

export type CleanupCounts = Record<string, number>;

export async function deleteExpiredRows(now = new Date()): Promise<CleanupCounts> {
  const expired = { expiresAt: { lte: new Date(now.getTime() - EXPIRED_ROWS_KEPT_MS) } };
  const counts: CleanupCounts = {
    sessions: await deleteInBatches(db.session, expired),
    loginChallenges: await deleteInBatches(db.loginChallenge, expired),
    webAuthnChallenges: await deleteInBatches(db.webAuthnChallenge, expired),
    totpSetups: await deleteInBatches(db.totpSetup, expired),
    deliveredCodeSetups: await deleteInBatches(db.deliveredCodeSetup, expired),
    passwordResets: await deleteInBatches(db.passwordReset, expired),
    browserTrustLinks: await deleteInBatches(db.browserTrustLink, expired),
    rememberedBrowsers: await deleteInBatches(db.rememberedBrowser, expired),
    emailChanges: await deleteInBatches(db.emailChange, expired),
    endedSessions: await deleteInBatches(db.endedSession, expired),
    outboundMessages: await deleteInBatches(db.outboundMessage, {
      createdAt: { lte: new Date(now.getTime() - OUTBOUND_MESSAGE_RETENTION_MS) },
    }),
    // Audit stream deliveries that are done with; one still pending is kept until sent.
    auditDeliveries: await deleteInBatches(db.auditDelivery, {
      status: { in: ["delivered", "cancelled"] },
      createdAt: { lte: new Date(now.getTime() - AUDIT_DELIVERY_RETENTION_MS) },
    }),
  };
  // A counter whose window has passed and that blocks nothing counts for nothing: every
  // reader treats it as absent (lib/platform/rate-limit.ts). Keyed by name, so deleted in one go.
  const { count } = await db.rateLimit.deleteMany({
    where: {
      windowStart: { lte: new Date(now.getTime() - RATE_LIMIT_LONGEST_WINDOW_MS) },
      OR: [{ blockedUntil: null }, { blockedUntil: { lte: now } }],
    },
  });
  counts.rateLimits = count;
  return counts;
}

// Runs the cleanup now and then every CLEANUP_INTERVAL_MS, without keeping the process
// alive. A failure (say, the database is briefly away) is logged and retried next time.
// Returns how to stop it: no further run, and a promise of the one under way, so that a
// stopping server closes the database after it (README "Stopping"). Each run also counts
// the live sessions for README "Metrics".
export function startCleanup() {
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    const now = new Date();
    const counts = await deleteExpiredRows(now);
    const deleted = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    if (Object.keys(deleted).length > 0) logger.info({ event: "cleanup", deleted }, "cleanup: deleted expired rows");
    observeCleanup({ activeSessions: await db.session.count({ where: { expiresAt: { gt: now } } }), at: new Date() });
  };
  const runLogged = () => {
    running = run().catch((error: Error) =>
      logger.warn(
        { event: "cleanup_failed", error: `${error.name}: ${error.message.split("\n")[0]}` },
        "cleanup: failed; retrying later",
      ),
    );
  };
  runLogged();
  const timer = setInterval(runLogged, CLEANUP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    return running;
  };
}
