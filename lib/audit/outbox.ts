import type { Tx } from "@/lib/platform/db";

// Audit streaming's outbox (README "Audit streaming"): an event of an account whose stream
// is on gets a delivery row in the event's own transaction, so it is never sent without
// its change committing, nor lost when it does. Raising the stream's lastSequence takes
// its row's write lock until commit: the account's events are numbered in the order they
// commit, which is the order they are sent in (lib/audit/stream-delivery.ts).
export async function queueForStream(tx: Tx, accountId: string, eventIds: string[]) {
  const stream = await tx.auditStream.findUnique({ where: { accountId }, select: { enabled: true } });
  if (!stream?.enabled) return;
  const numbered = await tx.auditStream.update({
    where: { accountId },
    data: { lastSequence: { increment: eventIds.length } },
    select: { enabled: true, generation: true, lastSequence: true },
  });
  // Disabled by a transaction that committed while this one waited for the lock.
  if (!numbered.enabled) return;
  const first = numbered.lastSequence - eventIds.length + 1;
  await tx.auditDelivery.createMany({
    data: eventIds.map((eventId, index) => ({
      accountId,
      eventId,
      sequence: first + index,
      generation: numbered.generation,
    })),
  });
}
