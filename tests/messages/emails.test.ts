import { describe, expect, it } from "vitest";
import {
  BROWSER_TRUST_LINK_TTL_MS,
  DELIVERED_CODE_SETUP_TTL_MS,
  EMAIL_CHANGE_TTL_MS,
  LOGIN_CHALLENGE_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  SECOND_FACTOR_LOCKOUT_MS,
} from "@/lib/config";
import { formatDateTime } from "@/lib/format/user-agent";
import * as emails from "@/lib/messages/emails";
import { env } from "@/lib/platform/env";

const { APP_URL } = env();
const when = new Date("2030-01-02T03:04:00Z");
const { formatDuration } = emails;

// Every template, with the facts a reader needs from it: each must be in the HTML and in
// the plain-text alternative, so that neither version leaves something out. The codes,
// which a text message carries too, come first (see `texted`).
const cases: [string, emails.EmailContent, string[]][] = [
  [
    "signInCode",
    emails.signInCode({ code: "482913" }),
    ["482913", `expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}`, "change your password"],
  ],
  [
    "verificationCode",
    emails.verificationCode({ code: "130572" }),
    ["130572", `expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}`],
  ],
  [
    "passwordReset",
    emails.passwordReset({ name: "Ada", token: "reset-token-1" }),
    [
      "Hello Ada",
      `${APP_URL}/reset-password/reset-token-1`,
      `works once, for ${formatDuration(PASSWORD_RESET_TTL_MS)}`,
      "Two-factor authentication stays on",
    ],
  ],
  [
    "passwordChanged",
    emails.passwordChanged({ name: "Ada", ip: "203.0.113.9" }),
    ["Hello Ada", "was reset (IP 203.0.113.9)", "every session was signed out", `${APP_URL}/login`],
  ],
  [
    "browserTrustLink",
    emails.browserTrustLink({ name: "Ada", token: "trust-token-1" }),
    ["Hello Ada", `${APP_URL}/login/trust/trust-token-1`, `for ${formatDuration(BROWSER_TRUST_LINK_TTL_MS)}`],
  ],
  [
    "secondFactorLocked",
    emails.secondFactorLocked({ name: "Ada", threshold: 7, ip: "203.0.113.9" }),
    [
      `locked for ${formatDuration(SECOND_FACTOR_LOCKOUT_MS)} after 7 failed attempts`,
      "IP 203.0.113.9",
      `${APP_URL}/profile`,
    ],
  ],
  [
    "recoveryCodeUsed",
    emails.recoveryCodeUsed({ name: "Ada", ip: "203.0.113.9", remaining: 1 }),
    ["IP 203.0.113.9", "You have 1 recovery code left.", "generate new codes", `${APP_URL}/profile`],
  ],
  [
    "twoFactorDisabled",
    emails.twoFactorDisabled({ name: "Ada", ip: "203.0.113.9" }),
    ["turned off", "IP 203.0.113.9", "recovery codes no longer work", `${APP_URL}/profile`],
  ],
  [
    "passkeyAdded",
    emails.passkeyAdded({ name: "Ada", passkeyName: "Work laptop", ip: "203.0.113.9" }),
    ['passkey named "Work laptop" was added', "IP 203.0.113.9", "remove the passkey", `${APP_URL}/profile`],
  ],
  [
    "passkeyRemoved",
    emails.passkeyRemoved({ name: "Ada", passkeyName: "Old phone", ip: "203.0.113.9" }),
    ['passkey named "Old phone" was removed', "IP 203.0.113.9", `${APP_URL}/profile`],
  ],
  [
    "authenticatorEnabled",
    emails.authenticatorEnabled({ name: "Ada", change: "replaced" }),
    ["A new authenticator app was set up", "other sessions were signed out", `${APP_URL}/profile`],
  ],
  [
    "deliveredMethodEnabled",
    emails.deliveredMethodEnabled({ name: "Ada", method: "sms", destination: "+447700900123", change: "first" }),
    ["turned on", "by text message to +44 •••• •••123", `${APP_URL}/profile`],
  ],
  [
    "accessTokenCreated",
    emails.accessTokenCreated({ name: "Ada", tokenName: "CI deploy", scopes: ["read", "write"], ip: "203.0.113.9" }),
    ['named "CI deploy"', "scopes read, write", "IP 203.0.113.9", `${APP_URL}/profile#tokens`],
  ],
  [
    "accessTokensRevoked",
    emails.accessTokensRevoked({
      name: "Ada",
      what: "Your password was reset",
      tokens: [{ name: "CI deploy", createdAt: when }],
    }),
    ["Your password was reset", `"CI deploy", created ${formatDateTime(when)}`, `${APP_URL}/profile#tokens`],
  ],
  [
    "twoFactorRequired",
    emails.twoFactorRequired({ name: "Ada", accountName: "Acme", deadline: when }),
    ["Acme now requires two-factor authentication", `before ${formatDateTime(when)}`, `${APP_URL}/profile`],
  ],
  [
    "twoFactorRequired of someone invited",
    emails.twoFactorRequired({ name: "Ada", accountName: "Acme", deadline: when, daysAfterJoining: 7 }),
    ["Acme now requires two-factor authentication", "You have 7 days from the day you join to set it up"],
  ],
  [
    "twoFactorReset",
    emails.twoFactorReset({ name: "Ada", accountName: "Acme" }),
    ["An administrator of Acme reset two-factor authentication", `${APP_URL}/profile`],
  ],
  [
    "confirmEmailChange",
    emails.confirmEmailChange({ name: "Ada", oldEmail: "ada@old.test", newEmail: "ada@new.test", token: "change-1" }),
    [
      "from ada@old.test to ada@new.test",
      `${APP_URL}/confirm-email/change-1`,
      `works once, for ${formatDuration(EMAIL_CHANGE_TTL_MS)}`,
    ],
  ],
  [
    "emailChanged",
    emails.emailChanged({
      name: "Ada",
      oldEmail: "ada@old.test",
      newEmail: "ada@new.test",
      at: when,
      ip: "198.51.100.9",
      admin: null,
      to: "old",
    }),
    [
      "You changed",
      "from ada@old.test to ada@new.test",
      formatDateTime(when),
      "IP 198.51.100.9",
      "tell your administrator at once",
    ],
  ],
  [
    "newSignIn",
    emails.newSignIn({ name: "Ada", at: when, ip: "198.51.100.4", device: "Firefox on macOS", api: false }),
    ["Hello Ada", "Firefox on macOS, IP 198.51.100.4", formatDateTime(when), "change your password at once"],
  ],
  [
    "invitation",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-1",
      expiresAt: when,
      twoFactor: null,
    }),
    ["Grace invited you to Acme", `${APP_URL}/invite/invite-1`, `until ${formatDateTime(when)}`],
  ],
  [
    "invitation with 2FA required",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-2",
      expiresAt: when,
      twoFactor: { graceDays: 7, methods: ["passkey", "totp", "sms", "email"], passkey: false },
    }),
    [
      "Acme requires two-factor authentication",
      "one of these: a passkey or security key; a code from an authenticator app; a code by text message; a code by email.",
      "You have 7 days from the day you join to set it up",
    ],
  ],
  [
    "invitation with 2FA required at once",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-3",
      expiresAt: when,
      twoFactor: { graceDays: 0, methods: ["totp"], passkey: false },
    }),
    [
      "Acme requires two-factor authentication",
      "each sign-in asks for a code from an authenticator app.",
      "asked to set it up when you first sign in",
    ],
  ],
];

const texted = 2;

// The HTML as a reader sees it: tags gone, entities decoded.
function visibleText(html: string) {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

// What a reader reads in the HTML, block by block: each paragraph and list item, except
// the button, whose link the text part prints once below it.
function blocks(html: string) {
  return [...html.matchAll(/<(p|li)\b([^>]*)>(.*?)<\/\1>/gs)]
    .filter(([, , attributes]) => !attributes.includes("data-skip-in-text"))
    .map(([, , , inner]) => visibleText(inner.replace(/<!-- -->/g, "")).trim());
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map(([, href]) => href.replace(/&amp;/g, "&"));
const count = (text: string, word: string) => text.split(/\s+/).filter((each) => each === word).length;

describe("email templates", () => {
  it.each(cases)("%s renders its facts in the HTML and in the text", async (_name, content, facts) => {
    const html = await emails.renderHtml(content);
    expect(html).toMatch(/^<!DOCTYPE html[^>]*><html lang="en">/);
    expect(html).toContain(`<title>${content.subject.replace(/'/g, "&#x27;")}</title>`);
    expect(content.subject.length).toBeGreaterThan(0);
    const text = await emails.renderText(content);
    for (const fact of facts) {
      expect(visibleText(html)).toContain(fact);
      expect(text).toContain(fact);
    }
    // A link is a real link in the HTML, not only printed.
    for (const link of facts.filter((fact) => fact.startsWith(APP_URL))) expect(html).toContain(`href="${link}"`);
  });

  it("keeps the sign-in and set-up codes to one line, since a text message carries them too", async () => {
    for (const content of [emails.signInCode({ code: "482913" }), emails.verificationCode({ code: "130572" })])
      expect(await emails.renderText(content)).not.toContain("\n");
  });

  it.each(cases.slice(texted))("%s has a text part made from its HTML", async (_name, content) => {
    const html = await emails.renderHtml(content);
    const text = await emails.renderText(content);
    expect(content.text).toBeUndefined();
    expect(text).not.toMatch(/<\/?[a-z][^>]*>|&[#\w]+;/i);
    const flat = text.replace(/\s+/g, " ");
    for (const block of blocks(html)) expect(flat).toContain(block);
    // Each link (a reset, invitation or confirmation token among them) once, whole, on its own line.
    const links = hrefs(html);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(count(text, link)).toBe(1);
      expect(text.split("\n")).toContain(link);
    }
  });

  // The SMS carries a code message's `text` (lib/factors/sms-email), and the email's text
  // part must say the very same words, with the code once.
  it("gives the codes' email the words of their text message", async () => {
    const sms = {
      signInCode: `Your StrongSign sign-in code is 482913. It expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}. If you did not try to sign in, change your password.`,
      verificationCode: `Your StrongSign verification code is 130572. It expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}. If you did not ask for it, change your password.`,
    };
    for (const [name, content] of cases.slice(0, texted).map(([name, content]) => [name, content] as const)) {
      expect(content.text).toBe(sms[name as keyof typeof sms]);
      expect(await emails.renderText(content)).toBe(content.text);
      expect(count(content.text!, `${content.text!.match(/\d{6}/)![0]}.`)).toBe(1);
      expect(content.text!.match(/\d{6}/g)).toHaveLength(1);
    }
  });

  it("says durations the way people do", () => {
    expect(formatDuration(60_000)).toBe("1 minute");
    expect(formatDuration(10 * 60_000)).toBe("10 minutes");
    expect(formatDuration(60 * 60_000)).toBe("one hour");
    expect(formatDuration(3 * 60 * 60_000)).toBe("3 hours");
  });

  // Attack: a user names themself or a token with markup, to plant a link or a form in a
  // security email that StrongSign sends to someone else.
  it("escapes names in the HTML and keeps token names on their own line in the text", async () => {
    const content = emails.accessTokensRevoked({
      name: '<a href="https://evil.test">Ada</a>',
      what: "Your password was reset",
      tokens: [{ name: 'x\n- "forged", created never <img src=x>', createdAt: when }],
    });
    const html = await emails.renderHtml(content);
    expect(html).not.toContain('evil.test"');
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;a href=");
    const text = await emails.renderText(content);
    expect(text).not.toContain('\n- "forged"');
    expect(text).toContain(`\n- ${JSON.stringify('x\n- "forged", created never <img src=x>')}, created`);
  });
});
