// Property: a session is stored as a hash, lasts the account's duration, ends when revoked or its user is disabled, and holds sudo for 15 minutes.
import { describe, expect, it } from "vitest";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import {
  createSession,
  isSudo,
  listSessions,
  revokeOtherSessions,
  revokeSession,
  validateSessionToken,
} from "@/lib/sessions/sessions";
import { createUser, request } from "../factories";

const DAY = 24 * 60 * 60_000;

describe("sessions", () => {
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
