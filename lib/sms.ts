import { db } from "./db";
import { env } from "./env";
import { sealMessageBody } from "./outbox";

export type Sms = { to: string; text: string; userId?: string | null };

// SMS through a Twilio-compatible HTTP API when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and
// TWILIO_FROM are set; otherwise into the local outbox (SPEC §5). A provider error or a
// timeout is recorded and returned (the caller falls back to email), never thrown. The
// body is kept sealed in the delivery record, as for email (see lib/mail.ts).
export async function sendSms(sms: Sms): Promise<{ ok: boolean; id: string }> {
  const {
    TWILIO_ACCOUNT_SID: sid,
    TWILIO_AUTH_TOKEN: token,
    TWILIO_FROM: from,
    TWILIO_BASE_URL: base,
    SMS_TIMEOUT_MS: timeout,
  } = env();
  const body = sealMessageBody({ channel: "sms", to: sms.to, text: sms.text });
  const record = { userId: sms.userId ?? null, channel: "sms", to: sms.to, body };
  if (!sid || !token || !from) {
    const message = await db.outboundMessage.create({ data: { ...record, provider: "outbox", status: "sent" } });
    return { ok: true, id: message.id };
  }
  let status = "sent";
  let error: string | null = null;
  let providerMessageId: string | null = null;
  try {
    const response = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ To: sms.to, From: from, Body: sms.text }),
      signal: AbortSignal.timeout(timeout),
    });
    const body = (await response.json().catch(() => ({}))) as { sid?: string; message?: string };
    if (!response.ok) {
      status = "failed";
      error = `HTTP ${response.status}: ${body.message ?? "provider error"}`.slice(0, 500);
    } else {
      providerMessageId = body.sid ?? null;
    }
  } catch (caught) {
    status = "failed";
    error = (
      caught instanceof Error && caught.name === "TimeoutError" ? `timeout after ${timeout} ms` : String(caught)
    ).slice(0, 500);
  }
  const message = await db.outboundMessage.create({
    data: { ...record, provider: "twilio", status, error, providerMessageId },
  });
  return { ok: status === "sent", id: message.id };
}
