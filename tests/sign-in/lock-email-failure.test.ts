// Property: when a lock's email could not be sent, the answer and the second-step page say when the lock ends and nothing of an email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { readSecondStep, verifySecondFactor } from "@/lib/sign-in/second-step";
import { secondFactorErrorText } from "../../app/messages";
import { createUser, request } from "../factories";
import { startFakeServer } from "../fake-server";

// Issue 16, point 8: "We've emailed you about it" only when an email went out. Resend is
// down here (a local server answering 503), so the lock's email fails, and neither the
// answer nor the second-step page may claim it was sent.
let fake: Awaited<ReturnType<typeof startFakeServer>>;

beforeAll(async () => {
  fake = await startFakeServer(() => ({
    status: 503,
    json: { name: "service_unavailable", message: "down for maintenance", statusCode: 503 },
  }));
  Object.assign(process.env, { RESEND_API_KEY: "re_test", RESEND_BASE_URL: fake.url });
});

afterAll(() => fake.close());

describe("a lock whose email could not be sent", () => {
  it("says when it ends, and nothing of an email", async () => {
    const user = await createUser();
    const phone = `+4477009${Math.floor(10_000 + Math.random() * 89_999)}`;
    await db.user.update({
      where: { id: user.id },
      data: { twoFactorMethod: "sms", phone, phoneVerifiedAt: new Date(), failedSecondFactorCount: 9 },
    });
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toMatchObject({ ok: true, channel: "sms" });
    const text = await db.outboundMessage.findFirstOrThrow({ where: { to: phone } });
    const code = readMessageBody(text)!.match(/\d{6}/)![0];
    const result = await verifySecondFactor({
      challengeToken: token,
      code: code === "000000" ? "111111" : "000000",
      kind: "code",
      request,
    });
    expect(result).toMatchObject({ ok: false, error: "locked", emailed: false });
    if (result.ok) throw new Error("expected a refusal");
    expect(secondFactorErrorText(result)).not.toContain("emailed");
    expect(await db.outboundMessage.findFirst({ where: { to: user.email }, select: { status: true } })).toEqual({
      status: "failed",
    });
    expect((await readSecondStep({ challengeId: challenge.id })).lock).toMatchObject({ locked: true, emailed: false });
  });
});
