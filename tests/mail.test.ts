import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendEmail } from "@/lib/mail";
import { readMessageBody } from "@/lib/outbox";
import { startFakeServer } from "./fake-server";

// Email goes through the real `resend` client, pointed at a local server that records
// what it receives and answers like Resend's API (or fails, when told to).
let failNext = false;
let fake: Awaited<ReturnType<typeof startFakeServer>>;

beforeAll(async () => {
  fake = await startFakeServer(() => {
    if (!failNext) return { status: 200, json: { id: `msg_${fake.received.length}` } };
    failNext = false;
    return { status: 500, json: { name: "internal_server_error", message: "provider is down", statusCode: 500 } };
  });
  process.env.RESEND_BASE_URL = fake.url;
  process.env.RESEND_API_KEY = "re_test_key";
});

afterAll(() => fake.close());

describe("email through Resend", () => {
  it("sends through the resend client and records the delivery", async () => {
    const result = await sendEmail({ to: "person@example.test", subject: "Hello", text: "Body text" });
    expect(result.ok).toBe(true);
    const last = fake.received.at(-1)!;
    expect(last.path).toBe("/emails");
    expect(last.headers.authorization).toBe("Bearer re_test_key");
    expect(JSON.parse(last.body)).toMatchObject({ to: "person@example.test", subject: "Hello", text: "Body text" });
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record).toMatchObject({
      channel: "email",
      provider: "resend",
      status: "sent",
      providerMessageId: `msg_${fake.received.length}`,
    });
    // The delivery record keeps the body sealed, as the local outbox does.
    expect(record.body).not.toContain("Body text");
    expect(readMessageBody(record)).toBe("Body text");
  });

  it("records a provider failure instead of throwing", async () => {
    failNext = true;
    const result = await sendEmail({ to: "person@example.test", subject: "Down", text: "Body" });
    expect(result.ok).toBe(false);
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record.status).toBe("failed");
    expect(record.error).toContain("provider is down");
  });
});
