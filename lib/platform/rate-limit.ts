import {
  PASSWORD_BACKOFF_BASE_MS,
  PASSWORD_BACKOFF_MAX_MS,
  PASSWORD_FREE_ATTEMPTS_PER_EMAIL,
  PASSWORD_FREE_ATTEMPTS_PER_IP,
  PASSWORD_RATE_WINDOW_MS,
} from "@/lib/config";
import { limitGroup } from "./client-address";
import { db } from "./db";

// Password-step limits (docs/security-model.md, "Limits and locks"): failures are counted
// per IP and per email in the database; past the free attempts each failure doubles the
// wait. A wait, never a lock: a stranger guessing at someone's email only slows that email
// down for a while.

export type LimitKey = { key: string; freeAttempts: number };

// A client address's sign-in failures, by password or by passkey.
export function ipLimitKey(ip: string): LimitKey {
  return { key: `pw:ip:${limitGroup(ip)}`, freeAttempts: PASSWORD_FREE_ATTEMPTS_PER_IP };
}

export function passwordLimitKeys(email: string, ip: string): LimitKey[] {
  return [{ key: `pw:email:${email}`, freeAttempts: PASSWORD_FREE_ATTEMPTS_PER_EMAIL }, ipLimitKey(ip)];
}

export function isIpKey({ key }: LimitKey) {
  return key.startsWith("pw:ip:");
}

export function backoffMs(count: number, freeAttempts: number): number {
  if (count <= freeAttempts) return 0;
  return Math.min(PASSWORD_BACKOFF_BASE_MS * 2 ** (count - freeAttempts - 1), PASSWORD_BACKOFF_MAX_MS);
}

// Milliseconds until the first of these keys may try again, 0 when none is blocked.
export async function retryAfterMs(keys: LimitKey[], now = new Date()): Promise<number> {
  const rows = await db.rateLimit.findMany({
    where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: now } },
  });
  return rows.reduce((wait, row) => Math.max(wait, row.blockedUntil!.getTime() - now.getTime()), 0);
}

export async function recordFailure({ key, freeAttempts }: LimitKey, now = new Date()): Promise<number> {
  const windowStart = new Date(now.getTime() - PASSWORD_RATE_WINDOW_MS);
  await db.rateLimit.updateMany({
    where: { key, windowStart: { lt: windowStart }, OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }] },
    data: { count: 0, windowStart: now, blockedUntil: null },
  });
  // The increment is one atomic statement, so concurrent failures are all counted.
  const row = await db.rateLimit.upsert({
    where: { key },
    create: { key, count: 1, windowStart: now },
    update: { count: { increment: 1 } },
  });
  const wait = backoffMs(row.count, freeAttempts);
  if (wait > 0) await db.rateLimit.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + wait) } });
  return row.count;
}

export async function clearFailures(key: string) {
  await db.rateLimit.deleteMany({ where: { key } });
}

const HOUR_MS = 60 * 60_000;

// An hourly quota for things that cost money or annoy people, such as texts sent per
// user. Counts this use and says whether it was within the limit.
export async function takeHourlyQuota(options: {
  key: string;
  limit: number;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const { key, limit, now = new Date() } = options;
  const windowMs = HOUR_MS;
  await db.rateLimit.deleteMany({ where: { key, windowStart: { lte: new Date(now.getTime() - windowMs) } } });
  const row = await db.rateLimit.upsert({
    where: { key },
    create: { key, count: 1, windowStart: now },
    update: { count: { increment: 1 } },
  });
  if (row.count <= limit) return { ok: true };
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 1000)),
  };
}

// Several hourly quotas taken together (say, per address and per IP): every one is
// counted, and the answer is the longest wait among those over their limit.
export async function takeHourlyQuotas(
  quotas: { key: string; limit: number }[],
  now = new Date(),
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const results = [];
  for (const quota of quotas) results.push(await takeHourlyQuota({ ...quota, now }));
  const waits = results.flatMap((result) => (result.ok ? [] : [result.retryAfterSeconds]));
  return waits.length === 0 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(...waits) };
}

// When an hourly quota that is used up frees again, or null when it has room now.
export async function hourlyQuotaResetsAt(options: { key: string; limit: number; now?: Date }): Promise<Date | null> {
  const { key, limit, now = new Date() } = options;
  const row = await db.rateLimit.findUnique({ where: { key } });
  if (!row || row.count < limit) return null;
  const resumes = new Date(row.windowStart.getTime() + HOUR_MS);
  return resumes > now ? resumes : null;
}
