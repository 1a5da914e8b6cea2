// Property: sudo mode opens only with the right password, for that session for fifteen minutes, and wrong passwords count against sign-in limits.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { SUDO_WINDOW_MS } from "@/lib/config";
import { db } from "@/lib/platform/db";
import { createSession, isSudo, markSudo } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { createUser, TEST_PASSWORD } from "../factories";

// An address of its own for each test, so that the per-IP password limit counts this
// test's failures alone.
function fromOwnAddress() {
  return {
    ip: `2001:db8:${crypto.randomInt(0x10000).toString(16)}:${crypto.randomInt(0x10000).toString(16)}::1`,
    userAgent: "vitest",
  };
}

async function signedIn() {
  const request = fromOwnAddress();
  const user = await createUser({ role: "MEMBER" });
  const { session } = await createSession(db, { userId: user.id, request });
  const sudoAt = async () => (await db.session.findUniqueOrThrow({ where: { id: session.id } })).sudoAt;
  return { user, session, request, sudoAt };
}

describe("sudo mode", () => {
  it("opens for the session whose user gives the right password", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    expect(await sudoAt()).toBeNull();
    const before = Date.now();
    expect(await confirmPassword({ userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request })).toEqual(
      {
        ok: true,
      },
    );
    const given = await sudoAt();
    expect(given?.getTime()).toBeGreaterThanOrEqual(before);
    expect(isSudo({ sudoAt: given })).toBe(true);
  });

  it("stays shut after a wrong password, and for a user who has none", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    expect(
      await confirmPassword({ userId: user.id, sessionId: session.id, password: "not it at all", request }),
    ).toEqual({ ok: false, error: "wrong_password" });
    expect(await sudoAt()).toBeNull();

    await db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    expect(await confirmPassword({ userId: user.id, sessionId: session.id, password: "", request })).toEqual({
      ok: false,
      error: "wrong_password",
    });
    expect(await sudoAt()).toBeNull();
  });

  it("counts wrong passwords against the sign-in limits, so a stolen session cannot guess on", async () => {
    const { user, session, request, sudoAt } = await signedIn();
    // The email's five free attempts, then the one that starts the wait.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const result = await confirmPassword({
        userId: user.id,
        sessionId: session.id,
        password: `guess ${attempt}`,
        request,
      });
      expect(result).toEqual({ ok: false, error: "wrong_password" });
    }
    const refused = await confirmPassword({ userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request });
    expect(refused).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: expect.any(Number) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(await sudoAt()).toBeNull();
  });

  it("lasts fifteen minutes from the password, in that session only", async () => {
    const { user, session, request } = await signedIn();
    const other = await createSession(db, { userId: user.id, request });
    const given = new Date(Date.now() - 60_000);
    await markSudo(session.id, given);

    const row = await db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.sudoAt).toEqual(given);
    expect(isSudo(row, new Date(given.getTime() + SUDO_WINDOW_MS - 1))).toBe(true);
    expect(isSudo(row, new Date(given.getTime() + SUDO_WINDOW_MS))).toBe(false);
    expect(SUDO_WINDOW_MS).toBe(15 * 60_000);
    expect(isSudo(await db.session.findUniqueOrThrow({ where: { id: other.session.id } }))).toBe(false);
  });
});
