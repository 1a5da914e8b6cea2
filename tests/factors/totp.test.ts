// Property: authenticator codes follow RFC 6238, set up only when confirmed, are stored encrypted, and never work twice or for an earlier step.
import { describe, expect, it } from "vitest";
import { consumeRecoveryCode } from "@/lib/factors/recovery-codes";
import {
  confirmTotpSetup,
  createTotpSetup,
  formatSecretForDisplay,
  matchTotpStep,
  normalizeOtp,
  readTotpSetup,
  totpUri,
  verifyTotpCode,
} from "@/lib/factors/totp";
import { db } from "@/lib/platform/db";
import { base32Decode, totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request } from "../factories";

const STEP_MS = 30_000;
// Halfway through a 30 s step (2030-01-01T00:00:00Z is a step boundary), so that
// "one step earlier" and "one step later" are unambiguous.
const T0 = new Date(Date.UTC(2030, 0, 1, 0, 0, 15));
const at = (steps: number) => new Date(T0.getTime() + steps * STEP_MS);
const step = (time: Date) => Math.floor(time.getTime() / STEP_MS);

describe("RFC 6238 Appendix B (SHA-1)", () => {
  // The ASCII seed "12345678901234567890" in base32, as apps receive it.
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];

  it("uses the RFC's seed", () => {
    expect(base32Decode(secret).toString("ascii")).toBe("12345678901234567890");
  });

  it.each(vectors)(
    "at T=%i accepts %s (8 digits) and its last six digits, at the right step",
    async (seconds, code) => {
      const time = new Date(seconds * 1000);
      expect(await matchTotpStep({ secret, code, at: time, digits: 8 })).toBe(step(time));
      expect(await matchTotpStep({ secret, code: code.slice(-6), at: time })).toBe(step(time));
      expect(totp(secret, time.getTime())).toBe(code.slice(-6));
    },
  );

  it("reports the step a code belongs to, not the current one", async () => {
    // 1111111109 and 1111111111 fall either side of a step boundary.
    expect(await matchTotpStep({ secret, code: "07081804", at: new Date(1111111111_000), digits: 8 })).toBe(37037036);
    expect(await matchTotpStep({ secret, code: "14050471", at: new Date(1111111109_000), digits: 8 })).toBe(37037037);
  });

  it("refuses a vector's code far from its time", async () => {
    expect(await matchTotpStep({ secret, code: "94287082", at: new Date((59 + 90) * 1000), digits: 8 })).toBeNull();
  });
});

describe("code input", () => {
  it("accepts six ASCII digits with spaces or dashes", () => {
    expect(normalizeOtp("123456")).toBe("123456");
    expect(normalizeOtp(" 123 456 ")).toBe("123456");
    expect(normalizeOtp("123-456")).toBe("123456");
  });

  // Hostile or mistaken input must be refused as a value, never reach the verifier or throw.
  it.each([
    ["Arabic-Indic digits", "١٢٣٤٥٦"],
    ["full-width digits", "１２３４５６"],
    ["letters", "abcdef"],
    ["five digits", "12345"],
    ["seven digits", "1234567"],
    ["empty", ""],
    ["a huge string", "9".repeat(100_000)],
    ["SQL", "12 34 56'; DROP TABLE"],
    ["not a string", 123456],
    ["null", null],
  ])("refuses %s", (_, input) => {
    expect(normalizeOtp(input)).toBeNull();
  });

  it("shows the secret in blocks of four", () => {
    expect(formatSecretForDisplay("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(formatSecretForDisplay("ABCDEF")).toBe("ABCD EF");
  });
});

describe("otpauth URI", () => {
  it("names the issuer and account and spells out SHA-1, 6 digits, 30 s", () => {
    const uri = new URL(
      totpUri({ secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer: "Acme Corp", email: "ann+2fa@example.test" }),
    );
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Acme Corp:ann+2fa@example.test");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
      issuer: "Acme Corp",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });

  it("falls back to StrongSign as the issuer", () => {
    const uri = new URL(totpUri({ secret: "JBSWY3DPEHPK3PXP", issuer: " ", email: "a@example.test" }));
    expect(uri.searchParams.get("issuer")).toBe("StrongSign");
    expect(decodeURIComponent(uri.pathname)).toBe("/StrongSign:a@example.test");
  });
});

describe("setup", () => {
  it("creates a 160-bit secret, stored only encrypted, and does not turn 2FA on", async () => {
    const user = await createUser();
    const { secret, uri } = await createTotpSetup({ userId: user.id });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(new URL(uri).searchParams.get("secret")).toBe(secret);
    expect(new URL(uri).searchParams.get("issuer")).toBe(user.account.name);
    const row = await db.totpSetup.findUniqueOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();
    expect(await readTotpSetup({ userId: user.id })).toEqual({ secret, uri });
  });

  it("confirms with the current code: 2FA on, ten recovery codes, audited, emailed", async () => {
    const user = await createUser();
    const { secret } = await createTotpSetup({ userId: user.id, now: T0 });
    const result = await confirmTotpSetup({ userId: user.id, code: totp(secret, T0.getTime()), request, now: T0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.recoveryCodes).toHaveLength(10);
    const after = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { totpCredential: true, totpSetup: true },
    });
    expect(after.twoFactorMethod).toBe("totp");
    expect(after.twoFactorEnabledAt).toEqual(T0);
    expect(after.totpSetup).toBeNull();
    expect(after.totpCredential?.lastUsedStep).toBe(step(T0));
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
    expect((await db.auditEvent.findMany({ where: { targetId: user.id } })).map((e) => e.type)).toEqual([
      "two_factor.enabled",
    ]);
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: "Two-factor authentication is on" } }),
    ).toBe(1);
  });

  // A typo, or someone at an unlocked screen guessing, must not half-enable 2FA.
  it("changes nothing on a wrong code", async () => {
    const user = await createUser();
    const { secret } = await createTotpSetup({ userId: user.id, now: T0 });
    const wrong = String((Number(totp(secret, T0.getTime())) + 1) % 1_000_000).padStart(6, "0");
    expect(await confirmTotpSetup({ userId: user.id, code: wrong, request, now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await confirmTotpSetup({ userId: user.id, code: "١٢٣٤٥٦", request, now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    const after = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { totpCredential: true, totpSetup: true, recoveryCodes: true },
    });
    expect(after.twoFactorMethod).toBeNull();
    expect(after.totpCredential).toBeNull();
    expect(after.totpSetup).not.toBeNull();
    expect(after.recoveryCodes).toHaveLength(0);
    expect(await db.auditEvent.count({ where: { targetId: user.id } })).toBe(0);
  });

  // An abandoned QR code (a screenshot, a shoulder-surfed secret) must not become active later.
  it("replaces an unconfirmed setup: the old secret's codes no longer confirm", async () => {
    const user = await createUser();
    const first = await createTotpSetup({ userId: user.id, now: T0 });
    const second = await createTotpSetup({ userId: user.id, now: T0 });
    expect(second.secret).not.toBe(first.secret);
    expect(
      await confirmTotpSetup({ userId: user.id, code: totp(first.secret, T0.getTime()), request, now: T0 }),
    ).toEqual({ ok: false, error: "invalid_code" });
    expect(
      (await confirmTotpSetup({ userId: user.id, code: totp(second.secret, T0.getTime()), request, now: T0 })).ok,
    ).toBe(true);
  });

  it("refuses an expired setup", async () => {
    const user = await createUser();
    const { secret } = await createTotpSetup({ userId: user.id, now: T0 });
    const later = at(61); // past the 30-minute setup lifetime
    expect(await readTotpSetup({ userId: user.id, now: later })).toBeNull();
    expect(
      await confirmTotpSetup({ userId: user.id, code: totp(secret, later.getTime()), request, now: later }),
    ).toEqual({ ok: false, error: "setup_expired" });
  });

  // Two tabs confirming the same setup must not leave the user with codes that don't work.
  it("confirms a setup once when two confirmations race", async () => {
    const user = await createUser();
    const { secret } = await createTotpSetup({ userId: user.id, now: T0 });
    const code = totp(secret, T0.getTime());
    const results = await Promise.all(
      [1, 2, 3].map(() => confirmTotpSetup({ userId: user.id, code, request, now: T0 })),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    if (!winner.ok || !winner.recoveryCodes) throw new Error("the winner got no recovery codes");
    expect(await consumeRecoveryCode(db, { userId: user.id, code: winner.recoveryCodes[0], now: T0 })).toMatchObject({
      ok: true,
    });
  });

  // The second step checks the code against the secret read with its challenge, before its
  // transaction; the app may be replaced in between.
  it("refuses a code checked against a secret replaced since it was read, and keeps the new app's steps", async () => {
    const { user, secret: oldSecret } = await createUserWithTotp({ at: at(-20) });
    const readEarlier = await db.totpCredential.findUniqueOrThrow({ where: { userId: user.id } });
    const { secret: newSecret } = await createTotpSetup({ userId: user.id, now: at(-10) });
    expect(
      await confirmTotpSetup({ userId: user.id, code: totp(newSecret, T0.getTime()), request, now: T0 }),
    ).toMatchObject({ ok: true });
    const stale = { userId: user.id, code: totp(oldSecret, at(1).getTime()), now: at(1), credential: readEarlier };
    expect(await verifyTotpCode(db, stale)).toEqual({ ok: false, error: "invalid_code" });
    expect(await verifyTotpCode(db, { userId: user.id, code: totp(newSecret, at(1).getTime()), now: at(1) })).toEqual({
      ok: true,
    });
  });

  it("re-binding replaces the secret and the recovery codes, the old app works until then", async () => {
    const { user, secret: oldSecret, recoveryCodes: oldCodes } = await createUserWithTotp({ at: at(-20) });
    const { secret: newSecret } = await createTotpSetup({ userId: user.id, now: at(-10) });
    expect(
      await verifyTotpCode(db, { userId: user.id, code: totp(oldSecret, at(-10).getTime()), now: at(-10) }),
    ).toEqual({ ok: true });

    const result = await confirmTotpSetup({ userId: user.id, code: totp(newSecret, T0.getTime()), request, now: T0 });
    expect(result.ok).toBe(true);
    if (!result.ok || !result.recoveryCodes) throw new Error("re-binding gave no new recovery codes");
    expect(result.recoveryCodes.some((c) => oldCodes.includes(c))).toBe(false);
    expect(await verifyTotpCode(db, { userId: user.id, code: totp(oldSecret, at(1).getTime()), now: at(1) })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await verifyTotpCode(db, { userId: user.id, code: totp(newSecret, at(1).getTime()), now: at(1) })).toEqual({
      ok: true,
    });
    expect(await consumeRecoveryCode(db, { userId: user.id, code: oldCodes[0], now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    // The date 2FA was first turned on is kept.
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).toEqual(at(-20));
  });
});

describe("verification", () => {
  it("accepts the previous, current and next step; refuses two steps away", async () => {
    const { user, secret } = await createUserWithTotp({ at: at(-10) });
    const verifyAt = (offset: number) =>
      verifyTotpCode(db, { userId: user.id, code: totp(secret, T0.getTime(), offset), now: T0 });
    expect(await verifyAt(-2)).toEqual({ ok: false, error: "invalid_code" });
    expect(await verifyAt(2)).toEqual({ ok: false, error: "invalid_code" });
    expect(await verifyAt(-1)).toEqual({ ok: true });
    expect(await verifyAt(0)).toEqual({ ok: true });
    expect(await verifyAt(1)).toEqual({ ok: true });
  });

  // Replay: a code seen over a shoulder or phished in real time must not work a second
  // time, nor may an older code once a newer one was accepted.
  it("refuses a code whose step was already used, and any earlier step", async () => {
    const { user, secret } = await createUserWithTotp({ at: at(-10) });
    const code = (offset: number) => totp(secret, T0.getTime(), offset);
    expect(await verifyTotpCode(db, { userId: user.id, code: code(0), now: T0 })).toEqual({ ok: true });
    expect(await verifyTotpCode(db, { userId: user.id, code: code(0), now: T0 })).toEqual({
      ok: false,
      error: "replayed",
    });
    expect(await verifyTotpCode(db, { userId: user.id, code: code(1), now: T0 })).toEqual({ ok: true });
    expect(await verifyTotpCode(db, { userId: user.id, code: code(-1), now: T0 })).toEqual({
      ok: false,
      error: "replayed",
    });
    expect(await verifyTotpCode(db, { userId: user.id, code: code(0), now: at(1) })).toEqual({
      ok: false,
      error: "replayed",
    });
  });

  it("does not let the code that confirmed setup sign in", async () => {
    const { user, secret } = await createUserWithTotp({ at: T0 });
    expect(await verifyTotpCode(db, { userId: user.id, code: totp(secret, T0.getTime()), now: T0 })).toEqual({
      ok: false,
      error: "replayed",
    });
  });

  // Replay race: the same code sent at once from several browsers or app instances.
  it("accepts one of five simultaneous uses of a code", async () => {
    const { user, secret } = await createUserWithTotp({ at: at(-10) });
    const code = totp(secret, T0.getTime());
    const results = await Promise.all(
      Array.from({ length: 5 }, () => verifyTotpCode(db, { userId: user.id, code, now: T0 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error === "replayed")).toHaveLength(4);
  });

  it("refuses codes for a user without an authenticator, and malformed codes", async () => {
    const user = await createUser();
    expect(await verifyTotpCode(db, { userId: user.id, code: "123456", now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    const enrolled = await createUserWithTotp({ at: at(-10) });
    expect(await verifyTotpCode(db, { userId: enrolled.user.id, code: "x".repeat(10_000), now: T0 })).toEqual({
      ok: false,
      error: "invalid_code",
    });
  });
});
