// `npm run bench`: how fast the hot paths are, each next to a baseline measured in the
// same run on the same database, so the figures compare like with like.
//   session check  validateSessionToken (what every authenticated request pays)
//                  vs. a bare unique-index lookup of the same row
//   password step  passwordStep for a known user (argon2id verify + rate-limit + challenge)
//                  vs. one argon2id verify on its own
// BENCH_DATABASE=postgresql://… runs it on a throw-away PostgreSQL database instead.
import crypto from "node:crypto";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";

const database = await freshDatabase({ server: process.env.BENCH_DATABASE, name: `bench_${process.pid}` });
process.env.DATABASE_URL = database.url;
process.env.APP_ENV = "test";
process.env.AUTH_SECRET = crypto.randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEYS = `bench:${crypto.randomBytes(32).toString("base64")}`;

const { db } = await import("../lib/platform/db");
const { hashToken } = await import("../lib/platform/crypto");
const { hashPassword, verifyPassword } = await import("../lib/sign-in/password");
const { createSession, validateSessionToken } = await import("../lib/sessions/sessions");
const { passwordStep } = await import("../lib/sign-in/password-step");

async function measure(name: string, iterations: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn(i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const row = { name, iterations, opsPerSec: Math.round((iterations / total) * 1000), p50: p(0.5), p95: p(0.95) };
  console.log(
    `${name.padEnd(44)} ${String(row.opsPerSec).padStart(7)} ops/s   p50 ${row.p50.toFixed(3).padStart(8)} ms   p95 ${row.p95.toFixed(3).padStart(8)} ms`,
  );
  return row;
}

try {
  const account = await db.account.create({ data: { name: "Bench" } });
  const password = "bench passphrase that is long";
  const user = await db.user.create({
    data: {
      accountId: account.id,
      email: "bench@example.test",
      name: "Bench",
      passwordHash: await hashPassword(password),
    },
  });
  const request = { ip: "127.0.0.1", userAgent: "bench" };
  const { token } = await createSession(db, { userId: user.id, request });
  const tokenHash = hashToken(token);

  console.log(`database: ${database.url.startsWith("file:") ? "SQLite" : "PostgreSQL"}, node ${process.version}\n`);
  const baseline = await measure("baseline: unique lookup of the session row", 2000, () =>
    db.session.findUnique({ where: { tokenHash } }),
  );
  const check = await measure("validateSessionToken", 2000, () => validateSessionToken(token));
  console.log(`  -> session check costs ${(check.p50 / baseline.p50).toFixed(2)}x the bare lookup (p50)\n`);

  const argon = await measure("baseline: one argon2id verify", 30, () => verifyPassword(user.passwordHash!, password));
  const step = await measure("passwordStep (right password)", 30, (i) =>
    passwordStep({ email: user.email, password, request: { ip: `10.0.0.${i % 250}`, userAgent: "bench" } }),
  );
  console.log(`  -> password step costs ${(step.p50 / argon.p50).toFixed(2)}x one argon2id verify (p50)`);
} finally {
  await db.$disconnect();
  await database.drop();
}
