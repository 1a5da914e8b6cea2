// Property: phone numbers are read as E.164 wherever entered, refused when not numbers, and shown masked the same way in every message and log.
import { describe, expect, it } from "vitest";
import { auditData } from "@/lib/audit/record";
import { confirmDeliveredSetup, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { readMessageBody } from "@/lib/messages/outbox";
import {
  countryFromLanguages,
  countryOptions,
  formatPhoneInternational,
  formatPhoneNational,
  maskPhone,
  parsePhone,
  phoneCountry,
} from "@/lib/messages/phone";
import { setTwoFactorPreference } from "@/lib/people/user-admin";
import { listUsers } from "@/lib/people/users-list";
import { db } from "@/lib/platform/db";
import { auditDetailText } from "../../app/audit-words";
import { org } from "../admin-fixtures";
import { createUser, lastCode, request } from "../factories";

describe("parsePhone", () => {
  it("reads national numbers in the chosen country and international ones in any", () => {
    expect(parsePhone("07700 900123", "GB")).toBe("+447700900123");
    expect(parsePhone("(202) 555-0123", "US")).toBe("+12025550123");
    expect(parsePhone("01512 3456789", "DE")).toBe("+4915123456789");
    expect(parsePhone("06 12 34 56 78", "FR")).toBe("+33612345678");
    expect(parsePhone("03-1234-5678", "JP")).toBe("+81312345678");
    expect(parsePhone("0412 345 678", "AU")).toBe("+61412345678");
    // Italian landlines keep their 0.
    expect(parsePhone("06 6982 1234", "IT")).toBe("+390669821234");
    // A leading + wins over the country chosen.
    expect(parsePhone("+44 7700 900123", "US")).toBe("+447700900123");
    expect(parsePhone("+1 202 555 0123")).toBe("+12025550123");
    // Numbers of the right length in ranges the metadata does not list (here the ones set
    // aside for drama and tests) are left for the texted code to prove.
    expect(parsePhone("+44 7700 900123")).toBe("+447700900123");
    expect(parsePhone("+1 555 123 4567")).toBe("+15551234567");
    // The international prefix of the chosen country works like a +.
    expect(parsePhone("00 44 7700 900123", "DE")).toBe("+447700900123");
  });

  it("refuses what is not a phone number", () => {
    for (const [input, country] of [
      ["07700 900123", undefined], // national, with no country to read it in
      ["07700 900123", "ZZ"], // not a country
      ["07700 9001", "GB"], // too short for the UK
      ["0770 0900 1234 5678", "GB"], // too long
      ["+0 7700", undefined],
      ["+44 7700 900123 ext 5", undefined], // an extension cannot receive texts
      ["call me", "GB"],
      ["", "GB"],
      ["12", "US"],
      ["x".repeat(1000), "GB"],
      [447700900123, "GB"],
      [null, "GB"],
    ] as const) {
      expect(parsePhone(input, country), `${input} in ${country}`).toBeNull();
    }
  });
});

describe("showing numbers", () => {
  it("formats a stored number internationally and nationally, with its country", () => {
    expect(formatPhoneInternational("+447700900123")).toBe("+44 7700 900123");
    expect(formatPhoneNational("+447700900123")).toBe("07700 900123");
    expect(formatPhoneInternational("+12025550123")).toBe("+1 202 555 0123");
    expect(formatPhoneNational("+12025550123")).toBe("(202) 555-0123");
    expect(phoneCountry("+447700900123")).toBe("GB");
    expect(phoneCountry("+12025550123")).toBe("US");
    expect(phoneCountry("+33612345678")).toBe("FR");
    expect(phoneCountry(null)).toBeUndefined();
  });

  it("masks all but the last three digits, keeping the calling code", () => {
    expect(maskPhone("+447700900789")).toBe("+44 •••• •••789");
    expect(maskPhone("+12025550123")).toBe("+1 ••• ••• •123");
    expect(maskPhone("+4915123456789")).toBe("+49 •••• ••••789");
    expect(maskPhone("+33612345678")).toBe("+33 • •• •• •6 78");
    expect(maskPhone("not a number")).toBe("•••");
  });

  it("preselects the country of the browser's language, when it names one", () => {
    expect(countryFromLanguages("en-GB,en;q=0.9")).toBe("GB");
    expect(countryFromLanguages("fr,de-AT;q=0.8")).toBe("AT");
    expect(countryFromLanguages("en")).toBeUndefined();
    expect(countryFromLanguages(null)).toBeUndefined();
  });

  it("offers every country by name with its calling code", () => {
    const all = countryOptions();
    expect(all.length).toBeGreaterThan(200);
    expect(all.find((c) => c.code === "GB")).toEqual({ code: "GB", name: "United Kingdom", callingCode: "44" });
    expect(all.find((c) => c.code === "JP")).toEqual({ code: "JP", name: "Japan", callingCode: "81" });
    const names = all.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
  });
});

describe("where numbers are entered", () => {
  it("stores a national number chosen with its country as E.164, at setup and by an admin", async () => {
    const { admin, member } = await org();
    const started = await startDeliveredSetup({
      userId: member.id,
      method: "sms",
      phone: "06 12 34 56 78",
      phoneCountry: "FR",
    });
    expect(started).toEqual({ ok: true, destination: "+33612345678" });

    const set = await setTwoFactorPreference({
      actor: admin,
      userId: member.id,
      method: "sms",
      phone: "07700 900789",
      phoneCountry: "GB",
      request,
    });
    expect(set.ok).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBe("+447700900789");

    const refused = await setTwoFactorPreference({
      actor: admin,
      userId: member.id,
      method: "sms",
      phone: "07700 900789",
      phoneCountry: "US",
      request,
    });
    expect(refused).toEqual({ ok: false, error: "invalid_phone" });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBe("+447700900789");
  });
});

// The number an admin or the user sets shows the same way in every message and log the
// server writes, never whole: as My Profile shows it (maskPhone).
describe("one mask wherever the server writes a number", () => {
  const digits = (text: string) => text.replaceAll(/\D/g, "");

  it("in the admin's notice to the user and in the audit log", async () => {
    const { admin, member } = await org();
    const set = await setTwoFactorPreference({
      actor: admin,
      userId: member.id,
      method: "sms",
      phone: "07700 900789",
      phoneCountry: "GB",
      request,
    });
    expect(set.ok).toBe(true);
    const mask = maskPhone("+447700900789");
    expect(mask).toBe("+44 •••• •••789");

    const notice = await db.outboundMessage.findFirstOrThrow({ where: { userId: member.id, channel: "email" } });
    const body = readMessageBody(notice)!;
    expect(body).toContain(`texted to ${mask}`);
    expect(digits(body)).not.toContain("7700900789");

    const event = await db.auditEvent.findFirstOrThrow({
      where: { targetId: member.id, type: "two_factor.preference_changed" },
    });
    expect(auditDetailText({ type: event.type, data: auditData(event) })).toContain(`texts go to ${mask}`);
    expect(digits(JSON.stringify(event.data))).not.toContain("7700900789");
  });

  it("in the email and the audit log when the user sets up texts", async () => {
    const user = await createUser();
    await startDeliveredSetup({ userId: user.id, method: "sms", phone: "+44 7700 900456" });
    const confirmed = await confirmDeliveredSetup({ userId: user.id, code: await lastCode("+447700900456"), request });
    expect(confirmed.ok).toBe(true);
    const mask = maskPhone("+447700900456");

    const notice = await db.outboundMessage.findFirstOrThrow({
      where: { userId: user.id, channel: "email", subject: "Two-factor authentication is on" },
    });
    expect(readMessageBody(notice)).toContain(`by text message to ${mask}`);
    expect(digits(readMessageBody(notice)!)).not.toContain("7700900456");

    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: user.id, type: "two_factor.enabled" } });
    expect(auditDetailText({ type: event.type, data: auditData(event) })).toContain(`texts go to ${mask}`);
    expect(digits(JSON.stringify(event.data))).not.toContain("7700900456");
  });

  it("in the Users list, as the admin sees it", async () => {
    const { admin, member } = await org();
    await setTwoFactorPreference({ actor: admin, userId: member.id, method: "sms", phone: "+447700900321", request });
    const list = await listUsers({ actor: admin });
    if (!list.ok) throw new Error(list.error);
    expect(list.users.find((row) => row.id === member.id)?.maskedPhone).toBe(maskPhone("+447700900321"));
    expect(list.users.find((row) => row.id === admin.id)?.maskedPhone).toBeNull();
  });
});
