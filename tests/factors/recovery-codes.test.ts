// Property: recovery codes are random, stored only sealed and hashed, work once for their own user even under races, and die when regenerated.
import { describe, expect, it } from "vitest";
import {
  consumeRecoveryCode,
  countRemainingRecoveryCodes,
  generateRecoveryCodes,
  listRecoveryCodes,
  normalizeRecoveryCode,
  regenerateRecoveryCodes,
  replaceRecoveryCodes,
} from "@/lib/factors/recovery-codes";
import { db } from "@/lib/platform/db";
import { createUser, request } from "../factories";

const FORMAT = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;

async function userWithCodes() {
  const user = await createUser();
  const codes = await db.$transaction((tx) => replaceRecoveryCodes(tx, { userId: user.id }));
  return { user, codes };
}

describe("format", () => {
  it("makes ten distinct codes of 16 lowercase hex digits in four groups", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    expect(new Set(codes).size).toBe(10);
  });

  // Guessing: every one of the 16 hex digits must be random (64 bits), none fixed or biased
  // towards a few values.
  it("draws every digit at random", () => {
    const codes = Array.from({ length: 100 }, generateRecoveryCodes)
      .flat()
      .map((c) => c.replace(/-/g, ""));
    expect(new Set(codes).size).toBe(codes.length);
    for (let position = 0; position < 16; position++) {
      expect(new Set(codes.map((c) => c[position])).size).toBe(16);
    }
  });

  it("accepts a code with or without dashes and spaces, in any case", () => {
    for (const input of [
      "3f9a-0c41-b7e2-58d6",
      "3F9A-0C41-B7E2-58D6",
      "3f9a0c41b7e258d6",
      " 3f9a 0c41 b7e2 58d6 ",
      "3F9a0C41-b7e258D6",
    ]) {
      expect(normalizeRecoveryCode(input)).toBe("3f9a0c41b7e258d6");
    }
  });

  it.each([
    ["too short", "3f9a-0c41-b7e2-58d"],
    ["too long", "3f9a-0c41-b7e2-58d60"],
    ["not hex", "3f9a-0c41-b7e2-58dg"],
    ["full-width", "３f9a-0c41-b7e2-58d6"],
    ["Arabic-Indic digits", "٣f9a-0c41-b7e2-58d6"],
    ["empty", ""],
    ["a huge string", "a".repeat(100_000)],
    ["not a string", 1234],
    ["undefined", undefined],
  ])("refuses %s without throwing", (_, input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });
});

describe("storage", () => {
  // Database dump: a leaked backup must not hand out working recovery codes.
  it("stores no code in any spelling, only ciphertext and a keyed hash", async () => {
    const { user, codes } = await userWithCodes();
    const dump = JSON.stringify(await db.recoveryCode.findMany({ where: { userId: user.id } }));
    for (const code of codes) {
      const compact = code.replace(/-/g, "");
      for (const spelling of [
        code,
        compact,
        code.toUpperCase(),
        compact.toUpperCase(),
        compact.slice(0, 8),
        compact.slice(8),
      ]) {
        expect(dump).not.toContain(spelling);
      }
    }
    expect((await listRecoveryCodes({ userId: user.id })).map((c) => c.code)).toEqual(codes);
  });
});

describe("use", () => {
  // Reuse: a code copied from a used printout must not work again.
  it("works once, in any spelling", async () => {
    const { user, codes } = await userWithCodes();
    expect(await consumeRecoveryCode(db, { userId: user.id, code: codes[3].replace(/-/g, "").toUpperCase() })).toEqual({
      ok: true,
      remaining: 9,
    });
    expect(await consumeRecoveryCode(db, { userId: user.id, code: codes[3] })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await countRemainingRecoveryCodes(user.id)).toBe(9);
    const listed = await listRecoveryCodes({ userId: user.id });
    expect(listed.filter((c) => c.used).map((c) => c.code)).toEqual([codes[3]]);
  });

  // Race: the same code sent at once from several browsers must sign in at most once.
  it("lets exactly one of eight simultaneous uses succeed", async () => {
    const { user, codes } = await userWithCodes();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => consumeRecoveryCode(db, { userId: user.id, code: codes[0] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await countRemainingRecoveryCodes(user.id)).toBe(9);
  });

  // A code from someone else's printout must be worth nothing on another account.
  it("does not accept one user's code for another", async () => {
    const a = await userWithCodes();
    const b = await userWithCodes();
    expect(await consumeRecoveryCode(db, { userId: b.user.id, code: a.codes[0] })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await consumeRecoveryCode(db, { userId: a.user.id, code: a.codes[0] })).toEqual({ ok: true, remaining: 9 });
  });

  it("refuses malformed input as an invalid code", async () => {
    const { user } = await userWithCodes();
    expect(await consumeRecoveryCode(db, { userId: user.id, code: "'; DROP TABLE RecoveryCode; --" })).toEqual({
      ok: false,
      error: "invalid_code",
    });
  });
});

describe("regeneration", () => {
  // Old printouts (maybe lost, maybe the reason for regenerating) must die at once.
  it("replaces the set: old codes stop working immediately, new ones work, audited", async () => {
    const { user, codes: old } = await userWithCodes();
    await consumeRecoveryCode(db, { userId: user.id, code: old[0] });
    const fresh = await regenerateRecoveryCodes({ userId: user.id, request });
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => old.includes(c))).toBe(false);
    for (const code of old.slice(1))
      expect(await consumeRecoveryCode(db, { userId: user.id, code })).toEqual({ ok: false, error: "invalid_code" });
    expect(await countRemainingRecoveryCodes(user.id)).toBe(10);
    expect(await consumeRecoveryCode(db, { userId: user.id, code: fresh[9] })).toEqual({ ok: true, remaining: 9 });
    expect((await listRecoveryCodes({ userId: user.id })).map((c) => c.code)).toEqual(fresh);
    const events = await db.auditEvent.findMany({ where: { targetId: user.id } });
    expect(events.map((e) => e.type)).toEqual(["recovery_codes.regenerated"]);
    expect(events[0]).toMatchObject({ actorId: user.id, ip: request.ip });
  });
});
