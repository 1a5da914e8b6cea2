// Property: the outbox keeps every code and link sealed, readable only with the app's keys and from its own row.
import crypto from "node:crypto";
import { createElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sendEmail } from "@/lib/messages/email";
import { listOutbox, readMessageBody } from "@/lib/messages/outbox";
import { sendSms } from "@/lib/messages/sms";
import { db } from "@/lib/platform/db";

// Attack: someone with a copy of the database (a backup, a read replica, an SQL
// injection elsewhere) reads the outbox and uses the codes and links in it. What is
// stored must be useless without ENCRYPTION_KEYS (docs/security-model.md, "What is stored how").
delete process.env.RESEND_API_KEY;
delete process.env.TWILIO_ACCOUNT_SID;

const keys = process.env.ENCRYPTION_KEYS!;

afterEach(() => {
  process.env.ENCRYPTION_KEYS = keys;
});

async function storedRow(id: string) {
  return db.outboundMessage.findUniqueOrThrow({ where: { id } });
}

describe("local outbox", () => {
  it("keeps an email's link sealed and opens it for the reader", async () => {
    const to = `outbox-${Date.now()}@example.test`;
    const token = crypto.randomBytes(32).toString("base64url");
    const text = `Choose a new password here:\nhttp://localhost:3000/reset-password/${token}\n`;
    const result = await sendEmail({
      to,
      subject: "Reset your StrongSign password",
      react: createElement("p", null, text),
      text,
    });
    expect(result.ok).toBe(true);
    const row = await storedRow(result.id);
    expect(row).toMatchObject({ to, provider: "outbox", status: "sent", subject: "Reset your StrongSign password" });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(readMessageBody(row)).toBe(text);
    expect((await listOutbox()).find((m) => m.id === result.id)).toMatchObject({ to, text });
  });

  it("keeps an SMS code sealed and opens it for the reader", async () => {
    const code = String(crypto.randomInt(100_000, 1_000_000));
    const result = await sendSms({ to: "+447700900123", text: `Your StrongSign code is ${code}` });
    const row = await storedRow(result.id);
    expect(row).toMatchObject({ channel: "sms", provider: "outbox", status: "sent" });
    expect(JSON.stringify(row)).not.toContain(code);
    expect(readMessageBody(row)).toBe(`Your StrongSign code is ${code}`);
  });

  it("cannot be read with other keys, nor from another person's row", async () => {
    const result = await sendSms({ to: "+447700900123", text: "Your StrongSign code is 314159" });
    const row = await storedRow(result.id);
    expect(readMessageBody({ ...row, to: "+447700900999" })).toBeNull();
    // The same key ids with other key material, as a thief guessing keys would have:
    // a fresh module graph so the environment is parsed again.
    process.env.ENCRYPTION_KEYS = keys
      .split(",")
      .map((entry) => `${entry.split(":")[0]}:${crypto.randomBytes(32).toString("base64")}`)
      .join(",");
    vi.resetModules();
    const withOtherKeys = await import("@/lib/messages/outbox");
    expect(withOtherKeys.readMessageBody(row)).toBeNull();
  });

  it("shows a body emptied by the migration as not kept", async () => {
    const result = await sendEmail({
      to: `old-${Date.now()}@example.test`,
      subject: "Old",
      react: createElement("p", null, "old link"),
      text: "old link",
    });
    await db.outboundMessage.update({ where: { id: result.id }, data: { body: "" } });
    expect((await listOutbox()).find((m) => m.id === result.id)).toMatchObject({ text: null });
  });
});
