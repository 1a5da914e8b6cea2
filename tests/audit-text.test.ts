import { describe, expect, it } from "vitest";
import { AuditType } from "@/lib/audit";
import { csvCell, csvRow } from "@/lib/csv";
import { isCalendarDay, isTimeZone, nextDay, startOfDay } from "@/lib/local-date";
import { auditDetailText, auditTypeName, auditTypeText } from "../app/messages";

describe("audit events in words", () => {
  it("names every event type in a sentence, and shows unknown stored types as they are", () => {
    for (const type of Object.values(AuditType)) expect(auditTypeText[type]).toMatch(/^[A-Z][a-z]/);
    expect(auditTypeName("two_factor.reset")).toBe("Two-factor authentication reset");
    expect(auditTypeName("legacy.thing")).toBe("legacy.thing");
  });

  it("turns stored details into on/off, methods, reasons and counts", () => {
    expect(auditDetailText({ exempt: true })).toEqual(["Exempt: on"]);
    expect(auditDetailText({ enabled: false, allowedMethods: "passkey,totp,sms", graceDays: 7 })).toEqual([
      "Required: off",
      "Allowed methods: Passkey, App, SMS",
      "Grace days: 7",
    ]);
    expect(auditDetailText({ from: "sms", to: null, phoneChanged: false })).toEqual([
      "From: SMS",
      "To: none",
      "Phone number changed: no",
    ]);
    expect(auditDetailText({ reason: "password", recognisedBrowser: true })).toEqual([
      "Reason: wrong email or password",
      "Known browser: yes",
    ]);
    expect(auditDetailText({ from: "MEMBER", to: "ADMIN" })).toEqual(["From: member", "To: admin"]);
    expect(auditDetailText({ until: "2026-03-01T10:15:00.000Z" })).toEqual(["Until: 1 Mar 2026, 10:15 UTC"]);
    expect(auditDetailText(null)).toEqual([]);
  });
});

describe("CSV cells", () => {
  it("quotes every cell and doubles quotes, keeping commas and line breaks inside", () => {
    expect(csvRow(["a", 'say "hi"', "x,y", "two\nlines", null, 3, true])).toBe(
      '"a","say ""hi""","x,y","two\nlines","","3","true"\r\n',
    );
  });

  // CSV injection: a spreadsheet runs a cell starting with = + - @ as a formula.
  it("defuses cells a spreadsheet would run as formulas", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(csvCell(evil)).toBe(`"'${evil.replaceAll('"', '""')}"`);
    }
    expect(csvCell("Mozilla/5.0 = fine")).toBe('"Mozilla/5.0 = fine"');
  });
});

describe("days in a time zone", () => {
  it("starts a day at local midnight, across daylight-saving changes", () => {
    expect(startOfDay("2026-03-01", "UTC").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(startOfDay("2026-07-01", "Europe/London").toISOString()).toBe("2026-06-30T23:00:00.000Z");
    expect(startOfDay("2026-01-15", "America/New_York").toISOString()).toBe("2026-01-15T05:00:00.000Z");
    // London moves to summer time at 01:00 on 29 March 2026; the next day starts an hour earlier in UTC.
    expect(startOfDay("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(startOfDay("2026-03-30", "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(startOfDay("2026-03-01", "Asia/Kolkata").toISOString()).toBe("2026-02-28T18:30:00.000Z");
    expect(startOfDay("2026-03-01", "Pacific/Kiritimati").toISOString()).toBe("2026-02-28T10:00:00.000Z");
  });

  it("checks days and zones, and counts to the next day over month ends", () => {
    expect(isCalendarDay("2026-02-28")).toBe(true);
    expect(isCalendarDay("2026-02-29")).toBe(false);
    expect(isCalendarDay("2026-13-01")).toBe(false);
    expect(isCalendarDay("01/03/2026")).toBe(false);
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
