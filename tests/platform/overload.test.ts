// Property: a database that cannot serve in time gets a 503 with Retry-After and leaves nothing half-written, while other failures stay 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as signInRoute } from "@/app/api/v1/auth/sign-in/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/verify-2fa/route";
import { TRANSACTION_MAX_WAIT_MS, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/config";
import { db, isPostgres } from "@/lib/platform/db";
import { isOverloadError } from "@/lib/platform/overload";
import { totp } from "../../e2e/totp";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../../scripts/fresh-db.mjs";
import { createUserWithTotp, TEST_PASSWORD } from "../factories";
// @ts-expect-error plain ESM script without types
import { holdDatabase } from "../hold-database.mjs";

// Under load (README "Request bodies and overload"). Fault: a database that cannot serve
// a request in time (every transaction slot taken, a lock held by someone else) made
// requests fail with a 500, which monitoring files as a bug and which tells a client
// nothing. It must be a 503 with Retry-After, and a transaction that ran out of time must
// leave nothing half-written: the same code works once the database is free again.
//
// These tests hold locks, so they run on a database of their own: the other test files
// share the run's database and must not wait on them.

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await freshDatabase({ server: process.env.TEST_DATABASE_URL, name: `overload_${process.pid}` });
  process.env.DATABASE_URL = database.url;
});

afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

function post(route: (request: Request) => Promise<Response>, body: unknown) {
  return route(
    new Request("http://localhost/api/v1/auth", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

// A user with an app, halfway through an API sign-in.
async function halfwaySignedIn() {
  const { user, secret } = await createUserWithTotp({ at: new Date() });
  const { challenge } = await (await post(signInRoute, { email: user.email, password: TEST_PASSWORD })).json();
  return { user, secret, challenge: challenge as string };
}

// The setup used this step's code, so the next step's (accepted: one step of drift).
function nextCode(secret: string) {
  return totp(secret, Date.now(), 1);
}

async function expectUnavailable(answer: Response) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  expect(await answer.json()).toEqual({
    error: {
      code: "service_unavailable",
      message: `The service is temporarily unavailable. Try again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`,
    },
  });
}

// Nothing of the second step happened: the challenge still waits for its factor, no
// session, no failure counted, and the code was not used up.
async function expectUntouched(userId: string) {
  const challenge = await db.loginChallenge.findFirstOrThrow({ where: { userId } });
  expect(challenge).toMatchObject({ factorVerifiedAt: null, consumedAt: null });
  expect(await db.session.count({ where: { userId } })).toBe(0);
  expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ failedSecondFactorCount: 0 });
  expect(await db.auditEvent.count({ where: { targetId: userId, type: { not: "two_factor.enabled" } } })).toBe(0);
}

describe("a database that cannot serve in time", () => {
  it("answers 503 with Retry-After when every transaction slot stays taken, and half-writes nothing", async () => {
    const { user, secret, challenge } = await halfwaySignedIn();
    // SQLite runs one transaction at a time; node-postgres's pool holds ten connections.
    // Each holder runs longer than a request may wait for its turn.
    const slots = isPostgres() ? 10 : 1;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holders = Array.from({ length: slots }, () =>
      db.$transaction(
        async (tx) => {
          await tx.user.findFirst();
          await gate;
        },
        { timeout: TRANSACTION_MAX_WAIT_MS + 3_000 },
      ),
    );

    const code = nextCode(secret);
    await expectUnavailable(await post(verifyRoute, { challenge, code }));
    release();
    await Promise.allSettled(holders);

    await expectUntouched(user.id);
    const retried = await post(verifyRoute, { challenge, code });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: "ok" });
  });

  it("answers 503 with Retry-After when another connection holds a lock too long, and half-writes nothing", async () => {
    const { user, secret, challenge } = await halfwaySignedIn();
    const release = await holdDatabase(database.url);
    const code = nextCode(secret);
    try {
      await expectUnavailable(await post(verifyRoute, { challenge, code }));
    } finally {
      await release();
    }

    await expectUntouched(user.id);
    const retried = await post(verifyRoute, { challenge, code });
    expect(retried.status).toBe(200);
  });
});

describe("isOverloadError", () => {
  it("leaves every other failure a 500", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    const duplicate = await db.user
      .create({ data: { accountId: user.accountId, email: user.email, name: "Twin", role: "MEMBER" } })
      .catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: "P2002" });
    expect(isOverloadError(duplicate)).toBe(false);
    expect(isOverloadError(new Error("boom"))).toBe(false);
    expect(isOverloadError("timeout exceeded when trying to connect")).toBe(false);
    expect(
      isOverloadError(Object.assign(new Error("Transaction API error: Transaction not found."), { code: "P2028" })),
    ).toBe(false);
  });
});
