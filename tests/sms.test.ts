import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendSms } from "@/lib/sms";

// A local stand-in for a Twilio-compatible SMS API: it records requests and can answer
// with an error or not at all, the two ways a real provider fails.
let mode: "ok" | "error" | "hang" = "ok";
const received: { path: string; auth?: string; form: URLSearchParams }[] = [];
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", auth: req.headers.authorization, form: new URLSearchParams(raw) });
      if (mode === "hang") return;
      res.setHeader("content-type", "application/json");
      if (mode === "error") {
        res.statusCode = 400;
        res.end(JSON.stringify({ code: 21211, message: "Invalid 'To' Phone Number" }));
        return;
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ sid: `SM${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: "AC123",
    TWILIO_AUTH_TOKEN: "secret-token",
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    SMS_TIMEOUT_MS: "300",
  });
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("SMS through a Twilio-compatible provider", () => {
  it("posts the message with basic auth and records the delivery", async () => {
    mode = "ok";
    const result = await sendSms({ to: "+447700900123", text: "Your code is 123456" });
    expect(result.ok).toBe(true);
    const last = received.at(-1)!;
    expect(last.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(last.auth).toBe(`Basic ${Buffer.from("AC123:secret-token").toString("base64")}`);
    expect(Object.fromEntries(last.form)).toEqual({ To: "+447700900123", From: "+15005550006", Body: "Your code is 123456" });
    expect(await db.outboundMessage.findUniqueOrThrow({ where: { id: result.id } })).toMatchObject({ channel: "sms", provider: "twilio", status: "sent" });
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
