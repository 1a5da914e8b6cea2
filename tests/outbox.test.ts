import { describe, expect, it } from "vitest";
import { listOutbox, sendEmail } from "@/lib/mail";

describe("local outbox", () => {
  it("keeps email in the database when no provider is configured", async () => {
    delete process.env.RESEND_API_KEY;
    const to = `outbox-${Date.now()}@example.test`;
    const result = await sendEmail({ to, subject: "Kept locally", text: "Read me at /dev/outbox" });
    expect(result.ok).toBe(true);
    const message = (await listOutbox()).find((m) => m.id === result.id);
    expect(message).toMatchObject({ to, provider: "outbox", status: "sent", subject: "Kept locally" });
  });
});
