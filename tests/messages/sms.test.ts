// Property: a text goes to a Twilio-compatible API with basic auth, and a delivery, an error or a timeout is recorded, never thrown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMessageBody } from "@/lib/messages/outbox";
import { sendSms } from "@/lib/messages/sms";
import { db } from "@/lib/platform/db";
import { startFakeServer } from "../fake-server";

// A local stand-in for a Twilio-compatible SMS API: it records requests and can answer
// with an error or not at all, the two ways a real provider fails.
let mode: "ok" | "error" | "hang" = "ok";
let fake: Awaited<ReturnType<typeof startFakeServer>>;

beforeAll(async () => {
  fake = await startFakeServer(() => {
    if (mode === "hang") return "hang";
    if (mode === "error") return { status: 400, json: { code: 21211, message: "Invalid 'To' Phone Number" } };
    return { status: 201, json: { sid: `SM${fake.received.length}` } };
  });
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: "AC123",
    TWILIO_AUTH_TOKEN: "secret-token",
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: fake.url,
    SMS_TIMEOUT_MS: "300",
  });
});

afterAll(() => fake.close());

describe("SMS through a Twilio-compatible provider", () => {
  it("posts the message with basic auth and records the delivery", async () => {
    mode = "ok";
    const result = await sendSms({ to: "+447700900123", text: "Your code is 123456" });
    expect(result.ok).toBe(true);
    const last = fake.received.at(-1)!;
    expect(last.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from("AC123:secret-token").toString("base64")}`);
    expect(Object.fromEntries(new URLSearchParams(last.body))).toEqual({
      To: "+447700900123",
      From: "+15005550006",
      Body: "Your code is 123456",
    });
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record).toMatchObject({ channel: "sms", provider: "twilio", status: "sent" });
    // The delivery record keeps the body sealed, as the local outbox does.
    expect(record.body).not.toContain("123456");
    expect(readMessageBody(record)).toBe("Your code is 123456");
  });

  it("records a provider error", async () => {
    mode = "error";
    const result = await sendSms({ to: "+10000000000", text: "x" });
    expect(result.ok).toBe(false);
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record.status).toBe("failed");
    expect(record.error).toContain("Invalid 'To' Phone Number");
  });

  it("gives up after the timeout", async () => {
    mode = "hang";
    const started = Date.now();
    const result = await sendSms({ to: "+447700900123", text: "x" });
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } })).error).toContain("timeout");
  });
});
