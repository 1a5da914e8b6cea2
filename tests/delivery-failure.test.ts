import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendChallengeCode } from "@/lib/delivered-code";
import { createLoginChallenge } from "@/lib/login-challenge";
import { createUser, request } from "./factories";

// Both providers down: a local server answers 503 to the SMS API and to Resend alike.
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((_, res) => {
    res.statusCode = 503;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ name: "service_unavailable", message: "down for maintenance", statusCode: 503 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "+15005550006", TWILIO_BASE_URL: base, RESEND_API_KEY: "re_test", RESEND_BASE_URL: base });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("when neither SMS nor email can be sent", () => {
  it("reports the failure and records both attempts", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "sms", phone: "+447700900123" } });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toEqual({ ok: false, error: "delivery_failed" });
    const records = await db.outboundMessage.findMany({ where: { userId: user.id } });
    expect(records.map((r) => [r.channel, r.provider, r.status]).sort()).toEqual([["email", "resend", "failed"], ["sms", "twilio", "failed"]]);
  });
});
