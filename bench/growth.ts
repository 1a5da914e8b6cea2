// `npm run bench:load -- --growth` (PostgreSQL): a database the size of a busy install, made
// with INSERT … SELECT generate_series in a minute rather than through the app:
//   100 000 users in 300 accounts, the largest (the bench's own account) with 5 000,
//   1 000 000 live sessions (and 250 000 expired ones, which the cleanup job deletes
//   before the pages are measured, as it would on a running install), 1 000 000 audit events (100 000 in the
//   largest account), 100 000 access tokens.
// Then ANALYZE, and EXPLAIN ANALYZE of the hot paths' queries into bench/explain-postgresql.md.
import fs from "node:fs";
import path from "node:path";
import { deleteExpiredRows } from "../lib/platform/cleanup";
import { db } from "../lib/platform/db";

const OTHER_ACCOUNTS = 299;
const LARGE_ACCOUNT_USERS = 5_000;
const USERS = 100_000;
const SESSIONS = 1_000_000;
// A fifth more, already expired, for the cleanup job's first pass (timed and reported).
const EXPIRED_SESSIONS = SESSIONS / 4;
const AUDIT_EVENTS = 1_000_000;
const TOKENS = 100_000;

// Users 1..5 000 belong to the largest account; user i above that to account "ga<i % 299 + 1>".
// Audit event i of another account names a user of that same account.
const STATEMENTS: [string, string][] = [
  [
    "accounts",
    `INSERT INTO "Account" (id, name, "createdAt")
     SELECT 'ga' || i, 'Growth account ' || i, now() - interval '400 days' FROM generate_series(1, ${OTHER_ACCOUNTS}) i`,
  ],
  [
    "users",
    `INSERT INTO "User" (id, "accountId", email, name, role, "passwordHash", "createdAt", "joinedAt", "lastSignInAt")
     SELECT 'gu' || i,
            CASE WHEN i <= ${LARGE_ACCOUNT_USERS} THEN $1 ELSE 'ga' || (i % ${OTHER_ACCOUNTS} + 1) END,
            'growth' || i || '@example.test', 'Growth user ' || lpad(i::text, 6, '0'),
            CASE WHEN i % 50 = 0 THEN 'ADMIN'::"Role" ELSE 'MEMBER'::"Role" END, $2,
            now() - interval '300 days', now() - interval '300 days', now() - (i % 1000) * interval '1 hour'
     FROM generate_series(1, ${USERS}) i`,
  ],
  [
    "sessions",
    `INSERT INTO "Session" (id, "tokenHash", "userId", "createdAt", "lastSeenAt", "expiresAt", ip, "userAgent")
     SELECT 'gs' || i, encode(sha256(('growth session ' || i)::bytea), 'hex'), 'gu' || (i % ${USERS} + 1),
            now() - (i % 90) * interval '1 day', now() - (i % 1440) * interval '1 minute',
            CASE WHEN i % 5 = 0 THEN now() - interval '2 days' ELSE now() + interval '30 days' END,
            '198.51.100.' || (i % 250), 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0'
     FROM generate_series(1, ${SESSIONS + EXPIRED_SESSIONS}) i`,
  ],
  [
    "audit events",
    `INSERT INTO "AuditEvent" (id, "accountId", type, "actorId", "targetId", ip, "userAgent", "createdAt")
     SELECT 'ge' || i, account, 'sign_in.succeeded', actor, actor, '198.51.100.' || (i % 250), 'Mozilla/5.0', at
     FROM (
       SELECT i, now() - interval '1 hour' - i * interval '10 seconds' AS at,
              CASE WHEN i % 10 = 0 THEN $1 ELSE 'ga' || (i % ${OTHER_ACCOUNTS} + 1) END AS account,
              CASE WHEN i % 10 = 0 THEN 'gu' || (i % ${LARGE_ACCOUNT_USERS} + 1)
                   ELSE 'gu' || (${LARGE_ACCOUNT_USERS} + 83 + i % ${OTHER_ACCOUNTS} + ${OTHER_ACCOUNTS} * (i % 300)) END AS actor
       FROM generate_series(1, ${AUDIT_EVENTS}) i
     ) e`,
  ],
  [
    "access tokens",
    `INSERT INTO "AccessToken" (id, "userId", name, "tokenHash", scopes, "createdAt")
     SELECT 'gt' || i, 'gu' || i, 'CI ' || i, encode(sha256(('growth token ' || i)::bytea), 'hex'), 'read', now() - interval '10 days'
     FROM generate_series(1, ${TOKENS}) i`,
  ],
];

export async function seedGrowth(largestAccountId: string, passwordHash: string) {
  const seconds: Record<string, number> = {};
  for (const [name, sql] of STATEMENTS) {
    const started = performance.now();
    const params = sql.includes("$2") ? [largestAccountId, passwordHash] : sql.includes("$1") ? [largestAccountId] : [];
    const count = await db.$executeRawUnsafe(sql, ...params);
    seconds[name] = Math.round((performance.now() - started) / 100) / 10;
    console.log(`growth: ${count} ${name} in ${seconds[name]} s`);
  }
  const started = performance.now();
  const deleted = await deleteExpiredRows();
  seconds.cleanup = Math.round((performance.now() - started) / 100) / 10;
  console.log(
    `growth: the cleanup job's first pass deleted ${deleted.sessions} expired sessions in ${seconds.cleanup} s`,
  );
  await db.$executeRawUnsafe("ANALYZE");
  await explainHotPaths(largestAccountId);
  return {
    users: USERS,
    accounts: OTHER_ACCOUNTS + 1,
    sessions: SESSIONS,
    auditEvents: AUDIT_EVENTS,
    tokens: TOKENS,
    seconds,
  };
}

// The statements Prisma sends on the hot paths (with the largest account's values).
async function explainHotPaths(accountId: string) {
  const query = (sql: string, ...params: unknown[]) => db.$queryRawUnsafe<Record<string, string>[]>(sql, ...params);
  const user = "gu1";
  const queries: [string, string, unknown[]][] = [
    [
      "Every authenticated request: the session by its token's hash (then its user and account by id)",
      `SELECT * FROM "Session" WHERE "tokenHash" = $1 LIMIT 1`,
      [(await query(`SELECT "tokenHash" FROM "Session" WHERE id = 'gs7'`))[0].tokenHash],
    ],
    ["Password step: the user by email", `SELECT * FROM "User" WHERE email = $1 LIMIT 1`, ["growth77777@example.test"]],
    [
      "Password step: blocked rate-limit keys",
      `SELECT * FROM "RateLimit" WHERE key IN ($1, $2) AND "blockedUntil" > now()`,
      ["pw:email:growth77777@example.test", "pw:ip:127.0.0.2"],
    ],
    [
      "My Profile: the user's live sessions",
      `SELECT id, "createdAt", "lastSeenAt", ip, "userAgent", "expiresAt" FROM "Session"
       WHERE "userId" = $1 AND "expiresAt" > now() ORDER BY "lastSeenAt" DESC`,
      [user],
    ],
    [
      "My Profile: the user's access tokens",
      `SELECT * FROM "AccessToken" WHERE "userId" = $1 ORDER BY "createdAt" DESC`,
      [user],
    ],
    [
      "Account settings → Users: the first page, by name",
      `SELECT * FROM "User" WHERE "accountId" = $1 ORDER BY name ASC, email ASC LIMIT 51`,
      [accountId],
    ],
    [
      "Account settings → Users: a later page (keyset: after the last row shown)",
      `SELECT * FROM "User" WHERE "accountId" = $1 AND (name, email) > ($2, $3) ORDER BY name ASC, email ASC LIMIT 51`,
      [accountId, "Growth user 002500", "growth2500@example.test"],
    ],
    [
      "Audit log: the newest page",
      `SELECT * FROM "AuditEvent" WHERE "accountId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT 26`,
      [accountId],
    ],
    [
      "Audit log: an older page (keyset: before the last row shown)",
      `SELECT * FROM "AuditEvent" WHERE "accountId" = $1 AND ("createdAt", id) < (now() - interval '100 days', 'ge5000')
       ORDER BY "createdAt" DESC, id DESC LIMIT 26`,
      [accountId],
    ],
    [
      "Audit log: one user's events (as actor or target)",
      `SELECT * FROM "AuditEvent" WHERE "accountId" = $1 AND ("actorId" = $2 OR "targetId" = $2)
       ORDER BY "createdAt" DESC, id DESC LIMIT 26`,
      [accountId, user],
    ],
    [
      "Cleanup job: sessions that expired over a day ago (one batch, after its first pass)",
      `SELECT id FROM "Session" WHERE "expiresAt" <= now() - interval '1 day' LIMIT 1000`,
      [],
    ],
  ];
  const lines = [
    "# EXPLAIN of the hot paths on PostgreSQL",
    "",
    "Written by `BENCH_DATABASE=postgresql://… npm run bench:load -- --growth` after seeding",
    `${USERS.toLocaleString("en")} users in ${OTHER_ACCOUNTS + 1} accounts (the largest with ${LARGE_ACCOUNT_USERS.toLocaleString("en")}), ${SESSIONS.toLocaleString("en")} sessions,`,
    `${AUDIT_EVENTS.toLocaleString("en")} audit events and ${TOKENS.toLocaleString("en")} access tokens (bench/growth.ts). Each statement is the one`,
    "Prisma sends for that step, with the largest account's values. What to look for: an",
    "index scan with a small row count, no Seq Scan, no Sort over the account's rows.",
    "",
  ];
  for (const [title, sql, params] of queries) {
    const rows = await query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`, ...params);
    lines.push(`## ${title}`, "", "```sql", sql.replace(/\n\s+/g, "\n  "), "```", "", "```");
    for (const row of rows) lines.push(row["QUERY PLAN"]);
    lines.push("```", "");
  }
  fs.writeFileSync(path.join(import.meta.dirname, "explain-postgresql.md"), lines.join("\n"));
}
