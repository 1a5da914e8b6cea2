// Property: when neither SMS nor email can be sent, a sign-in code reports a delivery failure and both failed attempts are recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { db } from "@/lib/platform/db";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { createUser, request } from "../../factories";
import { startFakeServer } from "../../fake-server";

// Both providers down: a local server answers 503 to the SMS API and to Resend alike.
let fake: Awaited<ReturnType<typeof startFakeServer>>;

beforeAll(async () => {
  fake = await startFakeServer(() => ({
    status: 503,
    json: { name: "service_unavailable", message: "down for maintenance", statusCode: 503 },
  }));
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: "AC1",
    TWILIO_AUTH_TOKEN: "t",
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: fake.url,
    RESEND_API_KEY: "re_test",
    RESEND_BASE_URL: fake.url,
  });
});

afterAll(() => fake.close());

describe("when neither SMS nor email can be sent", () => {
  it("reports the failure and records both attempts", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "sms", phone: "+447700900123" } });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toEqual({ ok: false, error: "delivery_failed" });
    const records = await db.outboundMessage.findMany({ where: { userId: user.id } });
    expect(records.map((r) => [r.channel, r.provider, r.status]).sort()).toEqual([
      ["email", "resend", "failed"],
      ["sms", "twilio", "failed"],
    ]);
  });
});
