// Property: an SMS or email sign-in code works once for its own challenge only, falls back to email, is throttled, and dies after five wrong tries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn } from "@/lib/sign-in/password-step";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { createUser, newBrowser, request } from "../../factories";
import { startFakeSmsProvider } from "../../fake-server";

// SMS and email codes (docs/security-model.md, "SMS and email codes"). A local stand-in for
// the SMS provider answers 201 for most numbers and 500 for numbers ending in 0000, so
// fallback to email is exercised through the real HTTP path.
let fake: Awaited<ReturnType<typeof startFakeSmsProvider>>;

beforeAll(async () => {
  fake = await startFakeSmsProvider();
});

afterAll(() => fake.close());

async function userWith(method: "sms" | "email", phone?: string) {
  const user = await createUser();
  return db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: method, phone: phone ?? null, phoneVerifiedAt: phone ? new Date() : null },
  });
}

async function sentCode(to: string) {
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { to, status: "sent" },
    orderBy: { createdAt: "desc" },
  });
  return readMessageBody(message)!.match(/\b(\d{6})\b/)![1];
}

describe("SMS and email sign-in codes", () => {
  it("sends an email code that completes this challenge once", async () => {
    const user = await userWith("email");
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toEqual({
      ok: true,
      channel: "email",
      fallback: null,
    });
    const code = await sentCode(user.email);
    // The database holds a keyed hash, not the code.
    expect(JSON.stringify(await db.loginChallenge.findUnique({ where: { id: challenge.id } }))).not.toContain(code);
    expect(await verifySecondFactor({ challengeToken: token, code, kind: "code", request })).toEqual({ ok: true });
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).not.toBeNull();
  });

  // A code is bound to its challenge: one sent for another sign-in is worthless here.
  it("does not accept a code from another challenge", async () => {
    const user = await userWith("email");
    const first = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    await sendChallengeCode({ challengeId: first.challenge.id });
    const code = await sentCode(user.email);
    const second = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    await sendChallengeCode({ challengeId: second.challenge.id });
    const secondCode = await sentCode(user.email);
    if (secondCode !== code)
      expect(await verifySecondFactor({ challengeToken: second.token, code, kind: "code", request })).toMatchObject({
        ok: false,
        error: "invalid_code",
      });
    expect(await verifySecondFactor({ challengeToken: second.token, code: secondCode, kind: "code", request })).toEqual(
      { ok: true },
    );
  });

  it("sends by SMS to the verified phone", async () => {
    // A number no other test uses: the unit tests share one database.
    const phone = `+4477009${String(10_000 + Math.floor(Math.random() * 89_000)).padStart(5, "1")}1`;
    const user = await userWith("sms", phone);
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toEqual({
      ok: true,
      channel: "sms",
      fallback: null,
    });
    expect(await db.outboundMessage.count({ where: { to: phone, provider: "twilio", status: "sent" } })).toBe(1);
  });

  it("marks an unverified phone verified once a texted code is used", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "sms", phone: "+447700900456" } });
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    await sendChallengeCode({ challengeId: challenge.id });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneVerifiedAt).toBeNull();
    const message = await db.outboundMessage.findFirstOrThrow({ where: { userId: user.id, channel: "sms" } });
    expect(
      await verifySecondFactor({
        challengeToken: token,
        code: readMessageBody(message)!.match(/\b(\d{6})\b/)![1],
        kind: "code",
        request,
      }),
    ).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneVerifiedAt).not.toBeNull();
  });

  it("falls back to email when the SMS provider fails, and records both deliveries", async () => {
    const user = await userWith("sms", "+447700900000");
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toEqual({
      ok: true,
      channel: "email",
      fallback: "sms_failed",
    });
    expect(await db.outboundMessage.findFirst({ where: { userId: user.id, channel: "sms" } })).toMatchObject({
      status: "failed",
      provider: "twilio",
    });
    expect(
      await verifySecondFactor({ challengeToken: token, code: await sentCode(user.email), kind: "code", request }),
    ).toEqual({ ok: true });
  });

  it("throttles resending and caps the number of sends", async () => {
    const user = await userWith("email");
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    const start = Date.now();
    expect((await sendChallengeCode({ challengeId: challenge.id, now: new Date(start) })).ok).toBe(true);
    expect(await sendChallengeCode({ challengeId: challenge.id, now: new Date(start + 5_000) })).toMatchObject({
      ok: false,
      error: "throttled",
    });
    for (let i = 1; i < 5; i++)
      expect((await sendChallengeCode({ challengeId: challenge.id, now: new Date(start + i * 31_000) })).ok).toBe(true);
    expect(await sendChallengeCode({ challengeId: challenge.id, now: new Date(start + 6 * 31_000) })).toEqual({
      ok: false,
      error: "too_many_sends",
    });
  });

  // Guessing: five wrong codes end the challenge, so the right code no longer helps.
  it("kills the challenge after five wrong codes", async () => {
    const user = await userWith("email");
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    await sendChallengeCode({ challengeId: challenge.id });
    const code = await sentCode(user.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++)
      expect((await verifySecondFactor({ challengeToken: token, code: wrong, kind: "code", request })).ok).toBe(false);
    expect(await verifySecondFactor({ challengeToken: token, code, kind: "code", request })).toEqual({
      ok: false,
      error: "challenge_expired",
    });
  });
});
