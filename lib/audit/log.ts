import { auditData } from "@/lib/audit/record";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { type Actor, fail, loadAdmin } from "@/lib/people/roles";
import { db } from "@/lib/platform/db";
import { decodeCursor, encodeCursor, type PageDirection } from "@/lib/platform/keyset";

// Reading the audit log that audit() (lib/audit/record.ts) writes: the admin's view of the
// account, its CSV export, and a user's own security log.

const person = { select: { id: true, name: true, email: true } };
const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] satisfies Prisma.AuditEventOrderByWithRelationInput[];
const oldestFirst = [{ createdAt: "asc" }, { id: "asc" }] satisfies Prisma.AuditEventOrderByWithRelationInput[];

// What the admin's log can be narrowed to. `to` is exclusive: the first instant left out.
export type AuditFilter = { userId?: string; type?: string; from?: Date; to?: Date };
export type AuditPaging = { cursor?: string; direction?: PageDirection; pageSize?: number };

type EventKey = { createdAt: Date; id: string };

function cursorOf(event: EventKey) {
  return encodeCursor([event.createdAt.toISOString(), event.id]);
}

function keyOf(cursor: string | undefined): EventKey | null {
  const keys = decodeCursor(cursor, 2);
  if (!keys) return null;
  const createdAt = new Date(keys[0]);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: keys[1] };
}

// The rows past `key` in the list's order (newest first): older ones for "next".
function beyond(key: EventKey, direction: PageDirection): Prisma.AuditEventWhereInput {
  const side = direction === "next" ? "lt" : "gt";
  return { OR: [{ createdAt: { [side]: key.createdAt } }, { createdAt: key.createdAt, id: { [side]: key.id } }] };
}

function filterWhere(accountId: string, filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    accountId,
    ...(filter.userId ? { OR: [{ actorId: filter.userId }, { targetId: filter.userId }] } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.from || filter.to ? { createdAt: { gte: filter.from, lt: filter.to } } : {}),
  };
}

function toEvent(row: Prisma.AuditEventGetPayload<{ include: { actor: typeof person; target: typeof person } }>) {
  return {
    id: row.id,
    type: row.type,
    createdAt: row.createdAt,
    ip: row.ip,
    userAgent: row.userAgent,
    data: auditData(row),
    actor: row.actor,
    target: row.target,
  };
}

export type AuditEventRow = ReturnType<typeof toEvent>;

// One page of events, newest first, and the cursors of the pages either side (null at
// either end). Paged by (createdAt, id), the order of the indexes on AuditEvent.
async function pageOfEvents(where: Prisma.AuditEventWhereInput, paging: AuditPaging) {
  const pageSize = Math.min(100, Math.max(1, Math.floor(paging.pageSize ?? 25) || 25));
  const key = keyOf(paging.cursor);
  const direction = key ? (paging.direction ?? "next") : "next";
  const forward = direction === "next";
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where: key ? { AND: [where, beyond(key, direction)] } : where,
      orderBy: forward ? newestFirst : oldestFirst,
      take: pageSize + 1,
      include: { actor: person, target: person },
    }),
    db.auditEvent.count({ where }),
  ]);
  const page = rows.slice(0, pageSize);
  if (!forward) page.reverse();
  const more = rows.length > pageSize;
  const edge = forward ? page[0] : page.at(-1);
  // Whether anything lies on the side we came from; the page we left may have been emptied.
  const back = key
    ? (await db.auditEvent.count({
        where: { AND: [where, beyond(edge ?? key, forward ? "previous" : "next")] },
        take: 1,
      })) > 0
    : false;
  const [hasNewer, hasOlder] = forward ? [back, more] : [more, back];
  const first = page[0];
  const last = page.at(-1);
  return {
    events: page.map(toEvent),
    total,
    newer: hasNewer && first ? cursorOf(first) : null,
    older: hasOlder && last ? cursorOf(last) : null,
  };
}

// The audit log (docs/security-model.md, "Audit and notices"): newest first, filtered by a
// user (as actor or target), a type and a time range, never reaching past the actor's
// account.
export async function listAuditEvents(options: { actor: Actor; filter: AuditFilter; paging: AuditPaging }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return fail("forbidden");
  return { ok: true as const, ...(await pageOfEvents(filterWhere(admin.accountId, options.filter), options.paging)) };
}

// The whole filtered log for the CSV export, oldest last, read a batch at a time so a
// long log never sits in memory at once. Null when the actor is not an admin.
export async function exportAuditEvents(options: { actor: Actor; filter: AuditFilter; batchSize?: number }) {
  const admin = await loadAdmin(db, options.actor);
  if (!admin) return null;
  const where = filterWhere(admin.accountId, options.filter);
  const batchSize = options.batchSize ?? 500;
  return (async function* batches() {
    let key: EventKey | null = null;
    while (true) {
      const rows = await db.auditEvent.findMany({
        where: key ? { AND: [where, beyond(key, "next")] } : where,
        orderBy: newestFirst,
        take: batchSize,
        include: { actor: person, target: person },
      });
      if (rows.length > 0) yield rows.map(toEvent);
      if (rows.length < batchSize) return;
      const last: EventKey = rows[rows.length - 1];
      key = { createdAt: last.createdAt, id: last.id };
    }
  })();
}

// My Profile → Security log: the user's own events, whoever caused them. Where someone
// else acted (an admin resetting their 2FA), that person's address and device are theirs
// and are left out; a stranger's failed sign-in keeps its address, which is the point.
export async function listOwnAuditEvents(options: { userId: string; paging: AuditPaging }) {
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId }, select: { accountId: true } });
  const where = {
    accountId: user.accountId,
    OR: [{ actorId: options.userId }, { targetId: options.userId }],
  };
  const page = await pageOfEvents(where, options.paging);
  const events = page.events.map((event) =>
    event.actor && event.actor.id !== options.userId ? { ...event, ip: null, userAgent: null } : event,
  );
  return { ...page, events };
}
