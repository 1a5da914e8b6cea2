// Property: every audit event and detail reads in words, never a stored key, code or id; CSV cells are quoted and defused; days follow the time zone.
import { describe, expect, it } from "vitest";
import { type AuditData, AuditType } from "@/lib/audit/record";
import { csvCell, csvRow } from "@/lib/format/csv";
import { isCalendarDay, isTimeZone, nextDay, startOfDay } from "@/lib/format/local-date";
import { auditDetailText, auditTypeName, auditTypeText } from "../../app/audit-words";

// Each event type with the details its writer stores (lib/*.ts), so the log can be read
// in words: never a stored key ("newClient"), an underscore or an id.
const PASSKEY_ID = "cmxd0i705000abcdefghijkl";
const written: Record<AuditType, AuditData | null> = {
  "account.created": null,
  "sign_in.succeeded": { client: "browser", newClient: false },
  "sign_in.failed": { reason: "second_factor", error: "invalid_code" },
  "sign_in.rate_limited": null,
  "session.signed_out": null,
  "session.revoked": null,
  "session.others_revoked": { count: 2, tokensRevoked: 0 },
  "password.changed": { sessionsEnded: 1 },
  "password.reset_requested": null,
  "password.reset": { sessionsEnded: 3, tokensRevoked: 1 },
  "profile.updated": null,
  "two_factor.enabled": { method: "sms", phone: "+44 •••• •••123", replaced: false, sessionsEnded: 0 },
  "two_factor.disabled": { method: "totp", sessionsEnded: 2 },
  "two_factor.method_removed": { method: "email" },
  "two_factor.verified": { method: "passkey", passkeyId: PASSKEY_ID, name: "Work laptop" },
  "two_factor.locked": { attempts: 10, until: "2026-03-01T10:15:00.000Z" },
  "passkey.added": { passkeyId: PASSKEY_ID, name: "Work laptop", sessionsEnded: 1 },
  "passkey.removed": { passkeyId: PASSKEY_ID, name: "Work laptop" },
  "passkey.renamed": null,
  "sign_in.passkey": { method: "passkey", passkeyId: PASSKEY_ID, name: "Work laptop" },
  "recovery_code.used": { remaining: 9 },
  "recovery_codes.regenerated": null,
  "enforcement.changed": {
    enabled: true,
    graceDays: 7,
    allowedMethods: "passkey,totp,sms",
    lockoutThreshold: 10,
    requirePasskey: "off",
    notified: 3,
  },
  "sessions.duration_changed": { from: 30, to: 7 },
  "exemption.changed": { exempt: true },
  "user.role_changed": { from: "MEMBER", to: "ADMIN" },
  "user.unlocked": null,
  "two_factor.reset": { method: "totp", sessionsEnded: 2, tokensRevoked: 0 },
  "two_factor.preference_changed": { from: null, to: "sms", phoneChanged: true, phone: "+44 •••• •••123" },
  "sessions.expired": { count: 1 },
  "sessions.cleared": { count: 12, tokensRevoked: 2 },
  "user.disabled": { tokensRevoked: 1 },
  "user.enabled": null,
  "user.invited": { role: "MEMBER" },
  "invitation.accepted": null,
  "invitation.resent": { previousRevoked: 1 },
  "invitation.revoked": null,
  "email.change_requested": { to: "new_name@example.test" },
  "email.changed": { from: "old_name@example.test", to: "new_name@example.test", invitationsRevoked: 0 },
  "token.created": { name: "CI deploys", scopes: "read,admin", expiresInDays: 30 },
  "token.revoked": { name: "CI deploys" },
  "sms.limited": { scope: "account", purpose: "sign_in" },
  "sign_in_code.email_limited": { limit: 5 },
  "sms.limit_changed": { from: 20, to: 0 },
  "sms.countries_changed": {
    countries: "FR,GB",
    perCountryPerHour: 50,
    countriesBefore: "",
    perCountryPerHourBefore: 100,
  },
  "sign_in.browser_link_sent": null,
  "sign_in.browser_trusted": null,
  "remembered_browser.added": { days: 30 },
  "remembered_browser.used": null,
  "remembered_browser.forgotten": { forgotten: 2 },
  "remember_browser.changed": { allowed: true, from: 30, to: 7, forgotten: 3 },
  "audit_stream.enabled": { host: "siem.example.test" },
  "audit_stream.url_changed": { from: "siem.example.test", to: "127.0.0.1:9000" },
  "audit_stream.secret_rotated": null,
  "audit_stream.disabled": null,
  "audit_stream.test_sent": null,
};

const text = (type: string, data: AuditData | null) => auditDetailText({ type, data }).join(" · ");

describe("audit events in words", () => {
  it("names every event type in a sentence, and shows unknown stored types as they are", () => {
    for (const type of Object.values(AuditType)) expect(auditTypeText[type]).toMatch(/^[A-Z][a-z]/);
    expect(auditTypeName("two_factor.reset")).toBe("Two-factor authentication reset");
    expect(auditTypeName("legacy.thing")).toBe("legacy.thing");
  });

  it("says every detail of every event type in words, never a stored key, code or id", () => {
    expect(Object.keys(written).sort()).toEqual(Object.values(AuditType).sort());
    for (const [type, data] of Object.entries(written)) {
      const phrases = auditDetailText({ type, data });
      if (Object.keys(data ?? {}).length === 0) expect(phrases, type).toEqual([]);
      else expect(phrases.length, type).toBeGreaterThan(0);
      for (const phrase of phrases) {
        expect(phrase, type).not.toMatch(/[a-z][A-Z]/);
        expect(phrase.replaceAll(/\S+@\S+/g, ""), type).not.toContain("_");
        expect(phrase, type).not.toContain(PASSKEY_ID);
        expect(phrase, type).not.toMatch(/\b(true|false|null|MEMBER|ADMIN|totp)\b/);
        for (const key of Object.keys(data ?? {})) expect(phrase, type).not.toContain(`${key}:`);
      }
    }
  });

  it("reads the details the issue found raw", () => {
    expect(text("sign_in.succeeded", { client: "browser", newClient: false })).toBe("from a browser, recognised");
    expect(text("sign_in.succeeded", { client: "browser", newClient: true })).toBe("from a new browser");
    expect(text("sign_in.succeeded", { client: "api", newClient: false })).toBe("from an API client, recognised");
    expect(text("enforcement.changed", written["enforcement.changed"])).toBe(
      "two-factor authentication required · 7 days to set it up · methods allowed: passkey or security key, authenticator app, text message (SMS) · locked after 10 failed attempts · passkeys not required · 3 people emailed",
    );
    expect(text("enforcement.changed", { requirePasskey: "admins" })).toBe("passkeys required of admins");
    expect(text("sign_in.passkey", written["sign_in.passkey"])).toBe("with the passkey “Work laptop”");
    expect(text("two_factor.verified", written["two_factor.verified"])).toBe("with the passkey “Work laptop”");
    expect(text("passkey.removed", written["passkey.removed"])).toBe("the passkey “Work laptop”");
  });

  // PostgreSQL's JSONB gives the keys back in an order of its own.
  it("reads the details in the same order whatever order the database returns them in", () => {
    for (const [type, data] of Object.entries(written)) {
      const reversed = Object.fromEntries(Object.entries(data ?? {}).reverse());
      expect(text(type, reversed), type).toBe(text(type, data));
    }
  });

  it("says “a passkey” for events written before the passkey's name was recorded", () => {
    expect(text("sign_in.passkey", { method: "passkey", passkeyId: PASSKEY_ID })).toBe("with a passkey");
    expect(text("passkey.removed", { passkeyId: PASSKEY_ID })).toBe("a passkey");
  });

  it("says what changed from what to what, in each event's own terms", () => {
    expect(text("audit_stream.url_changed", written["audit_stream.url_changed"])).toBe(
      "from siem.example.test to 127.0.0.1:9000",
    );
    expect(text("user.role_changed", { from: "MEMBER", to: "ADMIN" })).toBe("from member to admin");
    expect(text("sessions.duration_changed", { from: 30, to: 1 })).toBe("from 30 days to 1 day");
    expect(text("sms.limit_changed", { from: 20, to: 0 })).toBe("from 20 texts an hour to no texts");
    expect(text("remember_browser.changed", written["remember_browser.changed"])).toBe(
      "from 30 days to 7 days · browsers may be remembered · 3 remembered browsers forgotten",
    );
    expect(text("email.changed", written["email.changed"])).toBe(
      "from old_name@example.test to new_name@example.test · no pending invitation",
    );
    expect(text("two_factor.preference_changed", written["two_factor.preference_changed"])).toBe(
      "from no method chosen to text message (SMS) · phone number changed · texts go to +44 •••• •••123",
    );
  });

  it("reads failures, counts, times and choices", () => {
    expect(text("sign_in.failed", { reason: "password", recognisedBrowser: true })).toBe(
      "wrong email or password · from a recognised browser",
    );
    expect(text("sign_in.failed", { reason: "second_factor", error: "replayed" })).toBe(
      "wrong second step · a code that was already used",
    );
    expect(text("sign_in.failed", { reason: "passkey" })).toBe("passkey or security key not accepted");
    expect(text("two_factor.locked", written["two_factor.locked"])).toBe(
      "after 10 failed attempts · until 1 Mar 2026, 10:15 UTC",
    );
    expect(text("sessions.cleared", written["sessions.cleared"])).toBe(
      "12 sessions signed out · 2 access tokens revoked",
    );
    expect(text("two_factor.reset", { method: null, sessionsEnded: 0, tokensRevoked: 0 })).toBe(
      "no second factor was set up · no sessions to sign out · no access tokens to revoke",
    );
    expect(text("two_factor.disabled", written["two_factor.disabled"])).toBe(
      "was using authenticator app · 2 sessions signed out",
    );
    expect(text("exemption.changed", { exempt: false })).toBe("no longer exempt");
    expect(text("token.created", written["token.created"])).toBe(
      "the token “CI deploys” · with the scopes read and admin · expires after 30 days",
    );
    expect(text("token.created", { name: "Forever", scopes: "read", expiresInDays: null })).toBe(
      "the token “Forever” · with the scope read · never expires",
    );
    expect(text("user.invited", { role: "ADMIN" })).toBe("as admin");
    expect(text("sms.limited", written["sms.limited"])).toBe("the account's hourly limit reached · at sign-in");
    expect(text("sms.limited", { scope: "country", purpose: "setup", country: "FR" })).toBe(
      "the hourly limit for the number's country reached · while setting up text messages · to a number in France",
    );
    expect(text("sms.countries_changed", written["sms.countries_changed"])).toBe(
      "texts to France and United Kingdom, were to any country · at most 50 texts an hour to each country, was 100",
    );
    expect(auditDetailText({ type: "account.created", data: null })).toEqual([]);
  });

  it("still reads a detail this version has no words for, without its stored spelling", () => {
    expect(text("future.event", { countryCode: "GB", blocked_by: "policy" })).toBe(
      "country code: GB · blocked by: policy",
    );
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
