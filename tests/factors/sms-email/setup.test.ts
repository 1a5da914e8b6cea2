// Property: SMS or email codes turn on only with the latest fresh code to the user's own number or address, within limits, exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  confirmDeliveredSetup,
  readDeliveredSetup,
  resendDeliveredSetupCode,
  startDeliveredSetup,
} from "@/lib/factors/sms-email/setup";
import { db } from "@/lib/platform/db";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { createUser, createUserWithTotp, lastCode, request } from "../../factories";
import { startFakeSmsProvider } from "../../fake-server";

// SMS and email codes set up by the user in My Profile (docs/security-model.md, "SMS and
// email codes"). The SMS provider is a local server: numbers ending in 0000 fail, the rest
// are accepted.
let fake: Awaited<ReturnType<typeof startFakeSmsProvider>>;

beforeAll(async () => {
  fake = await startFakeSmsProvider();
});

afterAll(() => fake.close());

const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("setting up SMS or email codes", () => {
  it("texts a code to the number as typed, and the code turns SMS on with recovery codes", async () => {
    const user = await createUser();
    expect(await startDeliveredSetup({ userId: user.id, method: "sms", phone: "+44 (7700) 900-123" })).toEqual({
      ok: true,
      destination: "+447700900123",
    });
    expect(fake.received.at(-1)!.body).toContain(encodeURIComponent("+447700900123"));
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();

    const result = await confirmDeliveredSetup({ userId: user.id, code: await lastCode("+447700900123"), request });
    expect(result.ok && result.method).toBe("sms");
    expect(result.ok && result.recoveryCodes).toHaveLength(10);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ twoFactorMethod: "sms", phone: "+447700900123" });
    expect(after.phoneVerifiedAt).not.toBeNull();
    expect(await readDeliveredSetup({ userId: user.id })).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.enabled" } })).toBe(1);
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: "Two-factor authentication is on" } }),
    ).toBe(1);
  });

  it("emails a code to the user's own address", async () => {
    const user = await createUser();
    expect(await startDeliveredSetup({ userId: user.id, method: "email" })).toEqual({
      ok: true,
      destination: user.email,
    });
    const result = await confirmDeliveredSetup({ userId: user.id, code: await lastCode(user.email), request });
    expect(result.ok && result.method).toBe("email");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("email");
  });

  it("refuses a number without its country code and changes nothing", async () => {
    const user = await createUser();
    for (const phone of ["07700 900123", "+0 7700", "", "+44 7700 900123 ext 5", "x".repeat(1000), 447700900123]) {
      expect(await startDeliveredSetup({ userId: user.id, method: "sms", phone })).toEqual({
        ok: false,
        error: "invalid_phone",
      });
    }
    expect(await readDeliveredSetup({ userId: user.id })).toBeNull();
    expect(await db.outboundMessage.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a method the account does not allow", async () => {
    const user = await createUser();
    await db.account.update({ where: { id: user.accountId }, data: { allowedMethods: ["totp", "email"] } });
    expect(await startDeliveredSetup({ userId: user.id, method: "sms", phone: "+447700900123" })).toEqual({
      ok: false,
      error: "method_not_allowed",
    });
    expect(await db.outboundMessage.count({ where: { userId: user.id } })).toBe(0);
  });

  it("leaves nothing behind when the text cannot be sent, and never falls back to email", async () => {
    const user = await createUser();
    expect(await startDeliveredSetup({ userId: user.id, method: "sms", phone: "+447700900000" })).toEqual({
      ok: false,
      error: "delivery_failed",
    });
    expect(await readDeliveredSetup({ userId: user.id })).toBeNull();
    expect(
      await db.outboundMessage.findMany({ where: { userId: user.id }, select: { channel: true, status: true } }),
    ).toEqual([{ channel: "sms", status: "failed" }]);
  });

  it("kills the setup after five wrong codes", async () => {
    const user = await createUser();
    await startDeliveredSetup({ userId: user.id, method: "email" });
    const code = await lastCode(user.email);
    for (let i = 0; i < 4; i++)
      expect(await confirmDeliveredSetup({ userId: user.id, code: otherThan(code), request })).toEqual({
        ok: false,
        error: "invalid_code",
      });
    expect(await confirmDeliveredSetup({ userId: user.id, code: "12345", request })).toEqual({
      ok: false,
      error: "too_many_attempts",
    });
    expect(await confirmDeliveredSetup({ userId: user.id, code, request })).toEqual({
      ok: false,
      error: "setup_expired",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();
  });

  it("refuses the code after ten minutes", async () => {
    const user = await createUser();
    const start = new Date();
    await startDeliveredSetup({ userId: user.id, method: "email", now: start });
    const code = await lastCode(user.email);
    expect(
      await confirmDeliveredSetup({ userId: user.id, code, request, now: new Date(start.getTime() + 10 * 60_000 + 1) }),
    ).toEqual({ ok: false, error: "setup_expired" });
  });

  it("only the latest code works once a new one is sent, and resending is throttled", async () => {
    const user = await createUser();
    const start = new Date();
    await startDeliveredSetup({ userId: user.id, method: "email", now: start });
    const first = await lastCode(user.email);
    const tooSoon = await resendDeliveredSetupCode({ userId: user.id, now: new Date(start.getTime() + 5_000) });
    expect(tooSoon).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: 25 });
    expect(await resendDeliveredSetupCode({ userId: user.id, now: new Date(start.getTime() + 31_000) })).toEqual({
      ok: true,
    });
    const second = await lastCode(user.email);
    expect(
      second === first || (await confirmDeliveredSetup({ userId: user.id, code: first, request })).ok === false,
    ).toBe(true);
    expect((await confirmDeliveredSetup({ userId: user.id, code: second, request })).ok).toBe(true);
  });

  it("limits the codes sent to one user per hour across setups", async () => {
    const user = await createUser();
    const start = new Date();
    // Email, so that the tighter hourly cap on texts (tests/factors/sms-email/sms-cap.test.ts) is not what stops it.
    for (let i = 0; i < 10; i++)
      expect(
        (await startDeliveredSetup({ userId: user.id, method: "email", now: new Date(start.getTime() + i * 1000) })).ok,
      ).toBe(true);
    const eleventh = await startDeliveredSetup({
      userId: user.id,
      method: "email",
      now: new Date(start.getTime() + 11_000),
    });
    expect(eleventh).toMatchObject({ ok: false, error: "rate_limited" });
    expect(await db.outboundMessage.count({ where: { userId: user.id, channel: "email" } })).toBe(10);
    expect(
      (
        await startDeliveredSetup({
          userId: user.id,
          method: "email",
          now: new Date(start.getTime() + 60 * 60_000 + 1),
        })
      ).ok,
    ).toBe(true);
  });

  it("of simultaneous confirmations with the right code exactly one turns the method on", async () => {
    const user = await createUser();
    await startDeliveredSetup({ userId: user.id, method: "email" });
    const code = await lastCode(user.email);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => confirmDeliveredSetup({ userId: user.id, code, request })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.enabled" } })).toBe(1);
  });

  it("SMS added next to an app keeps the app and the recovery codes, and ends half-finished sign-ins", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    const codesBefore = await db.recoveryCode.findMany({ where: { userId: user.id }, select: { id: true } });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "totp", request });
    await startDeliveredSetup({ userId: user.id, method: "sms", phone: "+15551234567" });
    const result = await confirmDeliveredSetup({ userId: user.id, code: await lastCode("+15551234567"), request });
    expect(result).toEqual({ ok: true, method: "sms", recoveryCodes: null });
    expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      twoFactorMethod: "totp",
      smsEnabledAt: expect.any(Date),
    });
    expect(await db.recoveryCode.findMany({ where: { userId: user.id }, select: { id: true } })).toEqual(codesBefore);
    expect((await db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.id } })).consumedAt).not.toBeNull();
    expect(
      await db.outboundMessage.count({
        where: { to: user.email, subject: "A sign-in method was added to your StrongSign account" },
      }),
    ).toBe(1);
  });
});
