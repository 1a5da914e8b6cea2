import { ErrorCode } from "@/lib/errors";
import type { Account } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/platform/db";
import { env } from "@/lib/platform/env";
import { observeMessage } from "@/lib/platform/observe";
import { sealMessageBody } from "./outbox";
import { countryOptions, isCountryCode, phoneCountry, type RefusedPhoneType, refusedPhoneType } from "./phone";

// Where an account's texts may go (README "Where texts may go"): the countries its admins
// chose, ISO 3166 alpha-2 codes in alphabetical order. Empty: any country.
export function smsCountries(account: Pick<Account, "smsCountries">): string[] {
  const stored: unknown = account.smsCountries;
  return Array.isArray(stored) ? stored.filter(isCountryCode).sort() : [];
}

// The countries a phone form offers: those the account texts, and `current`, the country
// of the number being shown, so that it still reads right.
export function smsCountryOptions(account: Pick<Account, "smsCountries">, current?: string) {
  const allowed = smsCountries(account);
  if (allowed.length === 0) return countryOptions();
  return countryOptions().filter((option) => allowed.includes(option.code) || option.code === current);
}

// A number's country, and whether the account texts it. A number whose country cannot
// be read is texted only while any country is.
export function smsCountryOf(account: Pick<Account, "smsCountries">, e164: string) {
  const country = phoneCountry(e164);
  const allowed = smsCountries(account);
  return { country, allowed: allowed.length === 0 || (country !== undefined && allowed.includes(country)) };
}

export type NewSmsNumberCheck =
  | { ok: true }
  | { ok: false; error: typeof ErrorCode.phoneTypeNotAllowed; phoneType: RefusedPhoneType }
  | { ok: false; error: typeof ErrorCode.smsCountryNotAllowed; country: string | undefined; allowed: string[] };

// Whether a number may become someone's SMS number: never one of a kind we don't text
// (premium-rate, shared-cost, ...), and only in a country the account texts.
export function checkNewSmsNumber(account: Pick<Account, "smsCountries">, e164: string): NewSmsNumberCheck {
  const phoneType = refusedPhoneType(e164);
  if (phoneType) return { ok: false, error: ErrorCode.phoneTypeNotAllowed, phoneType };
  const { country, allowed } = smsCountryOf(account, e164);
  if (!allowed) return { ok: false, error: ErrorCode.smsCountryNotAllowed, country, allowed: smsCountries(account) };
  return { ok: true };
}

export type Sms = { to: string; text: string; userId?: string | null };

// SMS through a Twilio-compatible HTTP API when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and
// TWILIO_FROM are set; otherwise into the local outbox (docs/security-model.md, "SMS and
// email codes"). A provider error or a timeout is recorded and returned (the caller falls
// back to email), never thrown. The body is kept sealed in the delivery record, as for
// email (see lib/messages/email.ts).
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
    observeMessage({ channel: "sms", sent: true, provider: "outbox", messageId: message.id });
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
  observeMessage({ channel: "sms", sent: status === "sent", provider: "twilio", messageId: message.id });
  return { ok: status === "sent", id: message.id };
}
