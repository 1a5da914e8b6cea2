import { AuditType } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { type Actor, asAdmin, auditAdmin, fail, loadAdmin } from "@/lib/people/roles";
import { encrypt, randomToken } from "@/lib/platform/crypto";
import { db, type Tx } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { secretContext } from "./stream-delivery";

// Account settings → Advanced → Audit streaming (README "Audit streaming"): an admin in
// sudo mode sets the webhook, gets its signing secret once, rotates it, sends a test event
// or disables the stream. Each change commits with its audit event (lib/people/roles.ts
// asAdmin), and that event is queued like any other when the stream is on afterwards.

const URL_MAX_LENGTH = 2_000;

// https anywhere; plain http only to this machine (127.0.0.0/8 or ::1), for a receiver
// under test. A name such as "localhost" could resolve elsewhere, and credentials in the
// address would be shown on the page: both are refused.
export function isAllowedWebhookUrl(value: string) {
  if (value.length > URL_MAX_LENGTH || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  const loopback = /^127(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname === "[::1]";
  return url.protocol === "http:" && loopback;
}

// Shown once, then only its ciphertext is kept; the prefix says what it is.
function newSecret() {
  return `whsec_${randomToken(32)}`;
}

const hostOf = (url: string) => new URL(url).host;

// Turns the stream on (with a new secret the first time), or changes its address. A
// disabled stream turned on again keeps its secret and starts from new events: its
// generation moves on, so rows queued before are never sent.
export async function saveAuditStream(options: { actor: Actor; url: string; request: RequestInfo }) {
  if (!isAllowedWebhookUrl(options.url)) return fail(ErrorCode.invalidInput);
  return asAdmin(options.actor, async (tx, admin) => {
    const accountId = admin.accountId;
    const before = await tx.auditStream.findUnique({ where: { accountId } });
    const event = { request: options.request };
    if (!before) {
      const secret = newSecret();
      await tx.auditStream.create({
        data: { accountId, url: options.url, encryptedSecret: encrypt(secret, secretContext(accountId)) },
      });
      await auditAdmin(tx, admin, {
        ...event,
        type: AuditType.auditStreamEnabled,
        data: { host: hostOf(options.url) },
      });
      return { ok: true as const, secret };
    }
    if (!before.enabled) {
      await tx.auditStream.update({
        where: { accountId },
        data: { url: options.url, enabled: true, generation: { increment: 1 } },
      });
      await auditAdmin(tx, admin, {
        ...event,
        type: AuditType.auditStreamEnabled,
        data: { host: hostOf(options.url) },
      });
    } else if (before.url !== options.url) {
      await tx.auditStream.update({ where: { accountId }, data: { url: options.url } });
      await auditAdmin(tx, admin, {
        ...event,
        type: AuditType.auditStreamUrlChanged,
        data: { from: hostOf(before.url), to: hostOf(options.url) },
      });
    }
    return { ok: true as const, secret: null };
  });
}

// A new secret, shown once; every later attempt, retries included, is signed with it.
export async function rotateAuditStreamSecret(options: { actor: Actor; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const accountId = admin.accountId;
    if (!(await tx.auditStream.findUnique({ where: { accountId } }))) return fail(ErrorCode.notFound);
    const secret = newSecret();
    await tx.auditStream.update({
      where: { accountId },
      data: { encryptedSecret: encrypt(secret, secretContext(accountId)) },
    });
    await auditAdmin(tx, admin, { request: options.request, type: AuditType.auditStreamSecretRotated });
    return { ok: true as const, secret };
  });
}

async function cancelPending(tx: Tx, accountId: string) {
  await tx.auditDelivery.updateMany({
    where: { accountId, status: "pending" },
    data: { status: "cancelled", leaseOwner: null, leaseUntil: null },
  });
}

// Stops deliveries at once: nothing queued is sent afterwards (a send already under way
// may still arrive), and the event of disabling is itself not sent.
export async function disableAuditStream(options: { actor: Actor; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const accountId = admin.accountId;
    const { count } = await tx.auditStream.updateMany({
      where: { accountId, enabled: true },
      data: { enabled: false },
    });
    if (count === 0) return fail(ErrorCode.notFound);
    await cancelPending(tx, accountId);
    await auditAdmin(tx, admin, { request: options.request, type: AuditType.auditStreamDisabled });
    return { ok: true as const };
  });
}

// "Send test event": an audit event of its own, so it travels the same way as the rest.
export async function sendAuditStreamTest(options: { actor: Actor; request: RequestInfo }) {
  return asAdmin(options.actor, async (tx, admin) => {
    const stream = await tx.auditStream.findUnique({ where: { accountId: admin.accountId } });
    if (!stream?.enabled) return fail(ErrorCode.notFound);
    await auditAdmin(tx, admin, { request: options.request, type: AuditType.auditStreamTested });
    return { ok: true as const };
  });
}

const RECENT_DELIVERIES = 20;

// What the page shows: the stream (never its secret) and its latest deliveries, newest first.
export async function readAuditStream(options: { actor: Actor }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return null;
  const stream = await db.auditStream.findUnique({
    where: { accountId: admin.accountId },
    select: { url: true, enabled: true },
  });
  const deliveries = await db.auditDelivery.findMany({
    where: { accountId: admin.accountId },
    orderBy: { sequence: "desc" },
    take: RECENT_DELIVERIES,
    select: {
      id: true,
      status: true,
      attempts: true,
      createdAt: true,
      lastAttemptAt: true,
      lastStatusCode: true,
      lastError: true,
      nextAttemptAt: true,
      event: { select: { type: true } },
    },
  });
  return { stream, deliveries };
}

export type AuditStreamView = NonNullable<Awaited<ReturnType<typeof readAuditStream>>>;
