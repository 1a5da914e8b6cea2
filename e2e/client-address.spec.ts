import crypto from "node:crypto";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { PASSWORD_FREE_ATTEMPTS_PER_IP } from "../lib/config";
import { db } from "../lib/platform/db";
import { hashPassword } from "../lib/sign-in/password";
import { PASSWORD, seedAccount, seedUser, signInAndExpectProfile, uniqueEmail } from "./helpers";

// Address spoofing (issue 8; docs/security-model.md, "Client address"): a client that sends
// a new X-Forwarded-For on each try to escape the per-IP limit and fake its address. It
// tries a new email each time, so the per-email limit never applies, and writes every
// header that names a client (also our server's own X-StrongSign-Client, with a guessed
// proof). It must still be limited per IP after the free attempts, and none of its made-up
// addresses may reach the database: not as a rate-limit key, not in a session, audit event
// or login challenge. On SQLite the app is reached directly; on PostgreSQL through a
// balancer that appends the address it saw, with the instances trusting one hop
// (TRUSTED_PROXIES=1).
//
// Why a loopback address of its own: the per-IP counters live in the database, keyed by
// address, and every other spec signs in from 127.0.0.1 in parallel. Blocking 127.0.0.1
// here would make them fail at random, and clearing the row afterwards would race with
// them. So the attacker connects from a random address in 127.0.0.0/8 (all of it is
// loopback on Linux): its block is its own, and the test shows the address really is the
// socket's. The browser part signs in once, successfully, from localhost.

const appUrl = new URL(process.env.APP_URL!);
const attacker = `127.${crypto.randomInt(16, 250)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;

function forgedAddress(i: number) {
  return i % 2 ? `203.0.113.${i}` : `2001:db8::${(0x100 + i).toString(16)}`;
}

function forgingHeaders(forged: string) {
  return {
    "x-forwarded-for": forged,
    "x-real-ip": forged,
    forwarded: `for="${forged}"`,
    "x-strongsign-client": `guessed-proof ${forged}`,
  };
}

// Playwright's request context cannot choose its source address; node:http can.
function apiSignIn(body: { email: string; password: string }, headers: Record<string, string>) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; retryAfter?: string; json: { token?: string; error?: { code: string } } }>(
    (resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: appUrl.port,
          localAddress: attacker,
          method: "POST",
          path: "/api/v1/auth/sign-in",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode!,
              retryAfter: response.headers["retry-after"],
              json: JSON.parse(text),
            }),
          );
        },
      );
      request.on("error", reject);
      request.end(payload);
    },
  );
}

test("forged X-Forwarded-For headers neither escape the per-IP limit nor reach the database", async () => {
  test.setTimeout(120_000);
  const account = await seedAccount("Spoof");
  const attempts = PASSWORD_FREE_ATTEMPTS_PER_IP + 5;
  const passwordHash = await hashPassword(PASSWORD);
  const emails = Array.from({ length: attempts + 1 }, () => uniqueEmail("spoof"));
  await db.user.createMany({
    data: emails.map((email) => ({
      accountId: account.id,
      email,
      name: "Sam Spoof",
      role: "MEMBER" as const,
      passwordHash,
    })),
  });
  const forged: string[] = [];

  // The one right password, sent with forged headers: the session is the socket's.
  forged.push(forgedAddress(0));
  const signedIn = await apiSignIn({ email: emails[attempts], password: PASSWORD }, forgingHeaders(forged[0]));
  expect(signedIn.status).toBe(200);
  const session = await db.session.findFirstOrThrow({ where: { user: { email: emails[attempts] } } });
  expect(session.ip).toBe(attacker);

  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) {
    forged.push(forgedAddress(i + 1));
    const answer = await apiSignIn(
      { email: emails[i], password: "a wrong password, tried once" },
      forgingHeaders(forged.at(-1)!),
    );
    statuses.push(answer.status);
    if (answer.status === 429) {
      expect(answer.json.error?.code).toBe("rate_limited");
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      break;
    }
    expect(answer.status).toBe(401);
  }
  // Each failure past the free ones doubles the wait (2 s, 4 s, 8 s, ...), so even a slow
  // machine meets the block within five more tries.
  expect(statuses.slice(0, PASSWORD_FREE_ATTEMPTS_PER_IP)).toEqual(Array(PASSWORD_FREE_ATTEMPTS_PER_IP).fill(401));
  expect(statuses.at(-1)).toBe(429);

  const counted = await db.rateLimit.findMany({ where: { key: { contains: attacker } } });
  expect(counted.map((row) => row.key)).toContain(`pw:ip:${attacker}`);
  const failed = await db.auditEvent.findMany({
    where: {
      targetId: { in: (await db.user.findMany({ where: { accountId: account.id } })).map((u) => u.id) },
      type: "sign_in.failed",
    },
  });
  expect(failed).toHaveLength(statuses.filter((status) => status === 401).length);
  expect(new Set(failed.map((event) => event.ip))).toEqual(new Set([attacker]));

  const leaked = (address: string) => ({ ip: { contains: address } });
  for (const address of forged) {
    expect(await db.rateLimit.count({ where: { key: { contains: address } } }), address).toBe(0);
    expect(await db.session.count({ where: leaked(address) }), address).toBe(0);
    // This account's events: other journeys record documentation addresses of their own.
    expect(await db.auditEvent.count({ where: { ...leaked(address), accountId: account.id } }), address).toBe(0);
    expect(await db.loginChallenge.count({ where: leaked(address) }), address).toBe(0);
  }
});

test("a browser that forges X-Forwarded-For sees its real address in My Profile → Sessions", async ({ browser }) => {
  const forged = "203.0.113.99";
  const context = await browser.newContext({ extraHTTPHeaders: forgingHeaders(forged) });
  const page = await context.newPage();
  const user = await seedUser();
  await signInAndExpectProfile(page, user.email);

  // Chromium reaches localhost over IPv6 when it can, else IPv4: either is the truth.
  const { ip } = await db.session.findFirstOrThrow({ where: { userId: user.id } });
  expect(["::1", "127.0.0.1"]).toContain(ip);
  const sessions = page.getByRole("list", { name: "Active sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  await expect(sessions.getByText(`IP ${ip} ·`)).toBeVisible();
  await expect(page.getByText(forged)).toHaveCount(0);
  const rows = await Promise.all([
    db.session.findMany({ where: { userId: user.id } }),
    db.loginChallenge.findMany({ where: { userId: user.id } }),
    db.auditEvent.findMany({ where: { OR: [{ actorId: user.id }, { targetId: user.id }] } }),
  ]);
  expect(rows.flat().length).toBeGreaterThanOrEqual(3);
  for (const row of rows.flat()) expect(row.ip).toBe(ip);
  await context.close();
});
