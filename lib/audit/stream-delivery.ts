import crypto from "node:crypto";
import {
  AUDIT_STREAM_LEASE_MS,
  AUDIT_STREAM_POLL_MS,
  AUDIT_STREAM_RETRY_MAX_MS,
  AUDIT_STREAM_TIMEOUT_MS,
} from "@/lib/config";
import type { AuditDelivery, AuditEvent, AuditStream } from "@/lib/generated/sqlite/client";
import { decrypt, randomToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";
import { logger } from "@/lib/platform/logger";

// Audit streaming's worker (README "Audit streaming"): sends each account's queued events
// (lib/audit/outbox.ts) to its webhook, strictly one after another by sequence: only the
// first pending row of an account is ever tried, so the next waits until it is delivered.
// A row is held by a lease claimed with one conditional update, which both databases
// decide atomically, so instances never send the same row at once; a worker that dies
// mid-send loses its lease after AUDIT_STREAM_LEASE_MS and the row is sent again (at least
// once). Everything is in the database: a restart picks up where the last run stopped.

const SIGNATURE_HEADER = "StrongSign-Signature";
const EVENT_ID_HEADER = "StrongSign-Event-Id";

// The authenticated data of the stored secret: it is this account's audit stream secret.
export function secretContext(accountId: string) {
  return `audit-stream-secret:${accountId}`;
}

// Stripe's scheme: t is the Unix time of sending, v1 the hex HMAC-SHA256 of "t.body" under
// the secret exactly as shown to the admin. The receiver checks it and how old t is.
function signatureHeader(secret: string, body: string, at: Date) {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

// After the nth failed attempt: the base, doubling, at most an hour.
export function retryDelayMs(attempts: number, base = env().AUDIT_STREAM_RETRY_BASE_MS) {
  return Math.min(AUDIT_STREAM_RETRY_MAX_MS, base * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}

// What the receiver gets: the event as the audit log stores it.
function bodyOf(event: AuditEvent) {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    time: event.createdAt.toISOString(),
    accountId: event.accountId,
    actorId: event.actorId,
    targetId: event.targetId,
    ip: event.ip,
    userAgent: event.userAgent,
    data: event.data ?? null,
  });
}

const unexpired = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

// Each account's first pending row, where it is due and not held by another worker.
async function dueHeads(now: Date) {
  const firsts = await db.auditDelivery.groupBy({
    by: ["accountId"],
    where: { status: "pending" },
    _min: { sequence: true },
  });
  if (firsts.length === 0) return [];
  return db.auditDelivery.findMany({
    where: {
      AND: [
        { OR: firsts.map((first) => ({ accountId: first.accountId, sequence: first._min.sequence ?? -1 })) },
        { status: "pending", nextAttemptAt: { lte: now } },
        unexpired(now),
      ],
    },
    select: { id: true },
  });
}

type Attempt = { ok: boolean; statusCode: number | null; error: string | null };

// The receiver's answer is never read: only its status counts, 2xx as delivered.
async function send(stream: AuditStream, event: AuditEvent): Promise<Attempt> {
  const body = bodyOf(event);
  const secret = decrypt(stream.encryptedSecret, secretContext(stream.accountId));
  try {
    const response = await fetch(stream.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "StrongSign-Audit-Stream",
        [SIGNATURE_HEADER]: signatureHeader(secret, body, new Date()),
        [EVENT_ID_HEADER]: event.id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(AUDIT_STREAM_TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${AUDIT_STREAM_TIMEOUT_MS / 1000} s`
        : `could not connect${cause ? ` (${cause})` : ""}`;
    return { ok: false, statusCode: null, error: reason };
  }
}

const released = { leaseOwner: null, leaseUntil: null };

// Claims one row and tries it once; false when another worker had it.
async function deliverOne(id: string, owner: string, now: Date, log: (line: string) => void) {
  const { count } = await db.auditDelivery.updateMany({
    where: { id, status: "pending", nextAttemptAt: { lte: now }, ...unexpired(now) },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + AUDIT_STREAM_LEASE_MS) },
  });
  if (count === 0) return false;
  const mine = { id, leaseOwner: owner };
  const row: AuditDelivery & { event: AuditEvent } = await db.auditDelivery.findUniqueOrThrow({
    where: { id },
    include: { event: true },
  });
  const stream = await db.auditStream.findUnique({ where: { accountId: row.accountId } });
  if (!stream?.enabled || stream.generation !== row.generation) {
    await db.auditDelivery.updateMany({ where: mine, data: { status: "cancelled", ...released } });
    return true;
  }
  const attempt = await send(stream, row.event);
  const attempts = row.attempts + 1;
  const tried = { attempts, lastAttemptAt: now, lastStatusCode: attempt.statusCode, lastError: attempt.error };
  if (attempt.ok) {
    await db.auditDelivery.updateMany({
      where: mine,
      data: { ...tried, status: "delivered", deliveredAt: new Date(), ...released },
    });
    return true;
  }
  const delay = retryDelayMs(attempts);
  log(`audit stream: event ${row.eventId} not delivered (${attempt.error}), attempt ${attempts}, next in ${delay} ms`);
  await db.auditDelivery.updateMany({
    where: mine,
    data: { ...tried, nextAttemptAt: new Date(now.getTime() + delay), ...released },
  });
  return true;
}

const warn = (line: string) => logger.warn(line);

// One pass: the due first row of every account, accounts side by side. Returns how many
// rows this worker tried.
export async function deliverDue(options: { owner: string; now?: Date; log?: (line: string) => void }) {
  const now = options.now ?? new Date();
  const log = options.log ?? warn;
  const heads = await dueHeads(now);
  const tried = await Promise.all(heads.map((head) => deliverOne(head.id, options.owner, now, log)));
  return tried.filter(Boolean).length;
}

// Runs in every server process (scripts/serve.ts): a pass every AUDIT_STREAM_POLL_MS, and
// at once again while a pass found work, so an account's next event follows the last one
// without waiting. The returned stop() lets the pass in flight finish.
export function startAuditStream(log: (line: string) => void = warn) {
  const owner = randomToken(12);
  let stopped = false;
  let running: Promise<void> | null = null;
  const pass = async () => {
    while (!stopped && (await deliverDue({ owner, log })) > 0);
  };
  const timer = setInterval(() => {
    running ??= pass()
      .catch((error: Error) => log(`audit stream: failed (${error.name}: ${error.message.split("\n")[0]})`))
      .finally(() => {
        running = null;
      });
  }, AUDIT_STREAM_POLL_MS);
  timer.unref();
  return async function stop() {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
