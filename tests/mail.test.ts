import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendEmail } from "@/lib/mail";

// Email goes through the real `resend` client, pointed at a local server that records
// what it receives and answers like Resend's API (or fails, when told to).
const received: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];
let failNext = false;
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, body: JSON.parse(raw || "{}") });
      res.setHeader("content-type", "application/json");
      if (failNext) {
        failNext = false;
        res.statusCode = 500;
        res.end(JSON.stringify({ name: "internal_server_error", message: "provider is down", statusCode: 500 }));
        return;
      }
      res.end(JSON.stringify({ id: `msg_${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.RESEND_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.RESEND_API_KEY = "re_test_key";
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("email through Resend", () => {
  it("sends through the resend client and records the delivery", async () => {
    const result = await sendEmail({ to: "person@example.test", subject: "Hello", text: "Body text" });
    expect(result.ok).toBe(true);
    const last = received.at(-1)!;
    expect(last.path).toBe("/emails");
    expect(last.authorization).toBe("Bearer re_test_key");
    expect(last.body).toMatchObject({ to: "person@example.test", subject: "Hello", text: "Body text" });
    const record = await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } });
    expect(record).toMatchObject({ channel: "email", provider: "resend", status: "sent", providerMessageId: `msg_${received.length}` });
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
