// Property: email goes through the real Resend client with its HTML and text, and each delivery or provider failure is recorded, body sealed.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";
import { startFakeServer } from "../fake-server";

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
    const result = await sendEmail({
      to: "person@example.test",
      subject: "Hello",
      react: createElement("p", null, "Body text"),
      text: "Body text",
    });
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
    const result = await sendEmail({
      to: "person@example.test",
      subject: "Down",
      react: createElement("p", null, "Body"),
      text: "Body",
    });
    expect(result.ok).toBe(false);
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record.status).toBe("failed");
    expect(record.error).toContain("provider is down");
  });

  it("delivers a template's HTML and its text alternative, and records the text", async () => {
    const content = emails.passwordReset({ name: "Ada", token: "sent-token-1" });
    const text = await emails.renderText(content);
    const result = await sendEmail({ to: "ada@example.test", ...content });
    expect(result.ok).toBe(true);
    const sent = JSON.parse(fake.received.at(-1)!.body);
    expect(sent).toMatchObject({
      to: "ada@example.test",
      subject: "Reset your StrongSign password",
      text,
    });
    expect(sent.html).toBe(await emails.renderHtml(content));
    expect(sent.html).toContain(`href="${env().APP_URL}/reset-password/sent-token-1"`);
    expect(sent.text).toContain(`${env().APP_URL}/reset-password/sent-token-1`);
    expect(sent.text.split("sent-token-1")).toHaveLength(2);
    expect(sent.text).not.toContain("<");
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(readMessageBody(record)).toBe(text);
  });
});
