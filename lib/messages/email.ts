import { Resend } from "resend";
import { db } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";
import { observeMessage } from "@/lib/platform/observe";
import { type EmailContent, renderHtml, renderText } from "./emails";
import { sealMessageBody } from "./outbox";

// A message from lib/messages/emails plus where it goes: sendEmail({ to, userId, ...passwordReset(...) }).
export type Email = EmailContent & { to: string; userId?: string | null };

let resend: Resend | undefined;

// Sends through Resend when RESEND_API_KEY is set, otherwise into the local outbox
// (docs/security-model.md, "SMS and email codes"). Either way the message gets a delivery
// record; a failure is recorded and returned, never thrown past the caller. The record
// keeps the body sealed (lib/messages/outbox.ts) even after Resend has it: whoever holds
// the keys can already read TOTP secrets, and without them the body is useless, while with
// them an operator can see what a failed delivery said.
export async function sendEmail(email: Email): Promise<{ ok: boolean; id: string }> {
  const { RESEND_API_KEY, MAIL_FROM } = env();
  // Rendered even when the message only goes to the local outbox (Resend renders it
  // again from `react:`), so that a template that cannot render fails in development
  // and in the browser tests, not first in production.
  await renderHtml(email);
  const text = await renderText(email);
  const body = sealMessageBody({ channel: "email", to: email.to, text });
  const base = { userId: email.userId ?? null, channel: "email", to: email.to, subject: email.subject, body };
  if (!RESEND_API_KEY) {
    const message = await db.outboundMessage.create({ data: { ...base, provider: "outbox", status: "sent" } });
    observeMessage({ channel: "email", sent: true, provider: "outbox", messageId: message.id });
    return { ok: true, id: message.id };
  }
  resend ??= new Resend(RESEND_API_KEY);
  let status = "sent";
  let error: string | null = null;
  let providerMessageId: string | null = null;
  try {
    const result = await resend.emails.send({
      from: MAIL_FROM,
      to: email.to,
      subject: email.subject,
      react: email.react,
      text,
    });
    if (result.error) {
      status = "failed";
      error = `${result.error.name}: ${result.error.message}`.slice(0, 500);
    } else {
      providerMessageId = result.data?.id ?? null;
    }
  } catch (caught) {
    status = "failed";
    error = (caught instanceof Error ? caught.message : String(caught)).slice(0, 500);
  }
  const message = await db.outboundMessage.create({
    data: { ...base, provider: "resend", status, error, providerMessageId },
  });
  observeMessage({ channel: "email", sent: status === "sent", provider: "resend", messageId: message.id });
  return { ok: status === "sent", id: message.id };
}
