// Property: every security email says its facts in HTML and in text, links once whole, codes as their SMS says them, and escapes user names.
import { describe, expect, it } from "vitest";
import { DELIVERED_CODE_SETUP_TTL_MS, LOGIN_CHALLENGE_TTL_MS } from "@/lib/config";
import * as emails from "@/lib/messages/emails";
import { SecurityNotice } from "@/lib/messages/emails/notice";
import { env } from "@/lib/platform/env";
import { cases, texted } from "./email-cases";

const { APP_URL } = env();
const when = new Date("2030-01-02T03:04:00Z");
const { formatDuration } = emails;

// Every message that tells of a change to how the reader signs in, or of a sign-in.
const notices = [
  "passwordChanged",
  "secondFactorLocked",
  "recoveryCodeUsed",
  "twoFactorDisabled",
  "methodRemoved",
  "passkeyAdded",
  "passkeyRemoved",
  "authenticatorEnabled",
  "deliveredMethodEnabled",
  "accessTokenCreated",
  "accessTokensRevoked",
  "twoFactorReset",
  "twoFactorSetByAdmin",
  "emailChanged",
  "newSignIn",
];

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

  it.each(cases.filter(([name]) => notices.includes(name)))("%s goes through the one notice layout", (_name, content) =>
    expect(content.react.type).toBe(SecurityNotice),
  );

  it("checks every security notice", () => {
    expect(new Set(cases.map(([name]) => name).filter((name) => notices.includes(name))).size).toBe(notices.length);
  });

  // The SMS carries a code message's `text` (lib/factors/sms-email), and the email's text
  // part must say the very same words, with the code once.
  it("gives the codes' email the words of their text message", async () => {
    const sms: Record<string, string> = {
      signInCode: `Your StrongSign sign-in code is 482913. It expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}. If you did not try to sign in, change your password.`,
      verificationCode: `Your StrongSign verification code is 130572. It expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}. If you did not ask for it, change your password.`,
    };
    for (const [name, content] of cases.slice(0, texted)) {
      const text = await emails.renderText(content);
      expect(text).toBe(sms[name]);
      expect(text).toBe(content.text);
      expect(text.match(/\d{6}/g)).toHaveLength(1);
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
