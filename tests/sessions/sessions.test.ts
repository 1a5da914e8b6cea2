// Property: a session is stored as a hash, lasts the account's duration, ends when revoked or its user is disabled, and holds sudo for 15 minutes.
import { describe, expect, it } from "vitest";
import { methodFacts } from "@/lib/factors/kinds";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import {
  createSession,
  findSession,
  isSudo,
  listSessions,
  revokeOtherSessions,
  revokeSession,
  validateSessionToken,
} from "@/lib/sessions/sessions";
import { createUser, createUserWithTotp, request } from "../factories";
import { countStatements } from "../metrics";

const DAY = 24 * 60 * 60_000;

describe("sessions", () => {
  // Every signed-in request reads its session this way: one statement, the same rows and
  // types as Prisma's own include would give (lib/platform/joined-rows.ts).
  it("is read with its user, account and methods in one statement, as Prisma reads them", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    await db.webAuthnCredential.create({
      data: {
        userId: user.id,
        credentialId: `cred-${user.id}`,
        publicKey: "key",
        name: "Key",
        deviceType: "singleDevice",
      },
    });
    const { session } = await createSession(db, { userId: user.id, request, sudoAt: new Date() });
    const expected = await db.session.findUnique({
      where: { id: session.id },
      include: { user: { include: { account: true, ...methodFacts } } },
    });
    let byToken: Awaited<ReturnType<typeof findSession>> = null;
    expect(await countStatements(async () => (byToken = await findSession({ tokenHash: session.tokenHash })))).toBe(1);
    expect(byToken).toEqual(expected);
    expect(await findSession({ id: session.id })).toEqual(expected);
    expect(await findSession({ tokenHash: "no such hash" })).toBeNull();
  });

  it("stores only the hash of the token and validates the token", async () => {
    const user = await createUser();
    const { token, session } = await createSession(db, { userId: user.id, request });
    expect(session.tokenHash).toBe(hashToken(token));
    const raw = await db.session.findMany({ where: { userId: user.id } });
    expect(JSON.stringify(raw)).not.toContain(token);
    const found = await validateSessionToken(token);
    expect(found?.user.id).toBe(user.id);
    expect(await validateSessionToken(`${token}x`)).toBeNull();
    expect(await validateSessionToken("")).toBeNull();
  });

  it("lasts the account's session duration (default 90 days)", async () => {
    const user = await createUser();
    const now = new Date();
    const { token, session } = await createSession(db, { userId: user.id, request, now });
    expect(session.expiresAt.getTime() - now.getTime()).toBe(90 * DAY);
    expect(await validateSessionToken(token, new Date(now.getTime() + 89 * DAY))).not.toBeNull();
    expect(await validateSessionToken(token, new Date(now.getTime() + 90 * DAY + 1000))).toBeNull();
    // Expired sessions are deleted, not just ignored.
    expect(await db.session.count({ where: { id: session.id } })).toBe(0);
  });

  it("is capped when the account shortens the session duration later", async () => {
    const user = await createUser();
    const now = new Date();
    const { token } = await createSession(db, { userId: user.id, request, now });
    await db.account.update({ where: { id: user.accountId }, data: { sessionDurationDays: 7 } });
    expect(await validateSessionToken(token, new Date(now.getTime() + 8 * DAY))).toBeNull();
  });

  it("stops working when the user is disabled", async () => {
    const user = await createUser();
    const { token } = await createSession(db, { userId: user.id, request });
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await validateSessionToken(token)).toBeNull();
  });

  it("revokes one session, scoped to its owner", async () => {
    const alice = await createUser();
    const mallory = await createUser();
    const { token, session } = await createSession(db, { userId: alice.id, request });
    expect(await revokeSession(db, { userId: mallory.id, sessionId: session.id })).toBe(false);
    expect(await validateSessionToken(token)).not.toBeNull();
    expect(await revokeSession(db, { userId: alice.id, sessionId: session.id })).toBe(true);
    expect(await validateSessionToken(token)).toBeNull();
  });

  it("revokes all other sessions and keeps the current one", async () => {
    const user = await createUser();
    const current = await createSession(db, { userId: user.id, request });
    const other1 = await createSession(db, { userId: user.id, request });
    const other2 = await createSession(db, { userId: user.id, request });
    expect(
      await revokeOtherSessions(db, {
        userId: user.id,
        keepSessionId: current.session.id,
        reason: "signed_out_elsewhere",
      }),
    ).toBe(2);
    expect(await validateSessionToken(current.token)).not.toBeNull();
    expect(await validateSessionToken(other1.token)).toBeNull();
    expect(await validateSessionToken(other2.token)).toBeNull();
    expect((await listSessions(user.id)).map((s) => s.id)).toEqual([current.session.id]);
  });

  it("tracks sudo mode for 15 minutes after the password was given", async () => {
    const user = await createUser();
    const now = new Date();
    const { session } = await createSession(db, { userId: user.id, request, sudoAt: now, now });
    expect(isSudo(session, new Date(now.getTime() + 14 * 60_000))).toBe(true);
    expect(isSudo(session, new Date(now.getTime() + 16 * 60_000))).toBe(false);
    expect(isSudo({ sudoAt: null })).toBe(false);
  });
});
