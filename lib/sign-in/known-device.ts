import { AuditType, audit } from "@/lib/audit/record";
import {
  BROWSER_TRUST_LINK_TTL_MS,
  BROWSER_TRUST_LINKS_PER_EMAIL_PER_HOUR,
  BROWSER_TRUST_LINKS_PER_IP_PER_HOUR,
  DEVICE_COOKIE_MAX_AGE_MS,
  DEVICE_COOKIES_PER_BROWSER,
} from "@/lib/config";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { limitGroup } from "@/lib/platform/client-address";
import { hashToken, keyedHash, keyedHashes, randomToken, timingSafeEqualHex } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { takeHourlyQuotas } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { issueEmailedLink } from "./emailed-link";

// Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a
// browser that has signed in to an account gets a signed cookie naming that account. The
// password step then counts its failures against that browser alone, so a stranger who
// hammers the address with wrong passwords slows down every unrecognised client but never
// the owner's own browsers. A new browser, blocked with the strangers, can be recognised
// at once through a link emailed to the account ("Email me a link"), which bounds the
// owner's wait by the time the email takes to arrive.

const PURPOSE = "device-cookie";
const MAX_TOKEN_LENGTH = 200;

// One cookie per account the browser signs in to, named after a hash of the user id.
export function deviceCookieName(userId: string) {
  return `device_${keyedHash(userId, `${PURPOSE}-name`).slice(0, 16)}`;
}

export function isDeviceCookieName(name: string) {
  return /^device_[0-9a-f]{16}$/.test(name);
}

function mac(userId: string, nonce: string, issuedAt: string) {
  return keyedHashes(`${userId}.${nonce}.${issuedAt}`, PURPOSE);
}

function signDeviceToken(userId: string, nonce: string, now: Date) {
  const issuedAt = String(Math.floor(now.getTime() / 1000));
  return `${nonce}.${issuedAt}.${mac(userId, nonce, issuedAt)[0]}`;
}

export function newDeviceToken(userId: string, now = new Date()) {
  return signDeviceToken(userId, randomToken(16), now);
}

// The device cookie a sign-in leaves: the browser's own, renewed for another
// DEVICE_COOKIE_MAX_AGE_MS with the same nonce, or a new one. The nonce stays because a
// remembered browser is bound to it (lib/sign-in/remembered-browser.ts).
export function renewDeviceToken(userId: string, tokens: string[], now = new Date()) {
  const nonce = recognisedDevice(userId, tokens, now) ?? randomToken(16);
  return { nonce, token: signDeviceToken(userId, nonce, now) };
}

// A browser keeps the device cookies of at most DEVICE_COOKIES_PER_BROWSER people. A shared
// computer would otherwise gather one for each person who signs in on it, until its
// requests carry more headers than the server takes (16 KB) and every one is refused with
// 431. Past the limit the longest unrenewed go (by the time in their token): those
// people's wrong passwords then count as a new browser's would. `keep`: the cookie about
// to be set.
export function deviceCookiesToDrop(cookies: { name: string; value: string }[], keep: string): string[] {
  const others = cookies
    .filter((cookie) => isDeviceCookieName(cookie.name) && cookie.name !== keep)
    .map((cookie) => ({ name: cookie.name, issuedAt: Number(cookie.value.split(".")[1]) || 0 }))
    .sort((a, b) => a.issuedAt - b.issuedAt);
  return others.slice(0, Math.max(0, others.length - (DEVICE_COOKIES_PER_BROWSER - 1))).map((cookie) => cookie.name);
}

// The nonce of the first token that is a valid, unexpired device cookie of this user.
export function recognisedDevice(userId: string, tokens: string[], now = new Date()): string | null {
  for (const token of tokens) {
    if (token.length > MAX_TOKEN_LENGTH) continue;
    const [nonce, issuedAt, signature, extra] = token.split(".");
    if (!nonce || !issuedAt || !signature || extra !== undefined || !/^\d+$/.test(issuedAt)) continue;
    if (now.getTime() - Number(issuedAt) * 1000 > DEVICE_COOKIE_MAX_AGE_MS) continue;
    if (mac(userId, nonce, issuedAt).some((expected) => timingSafeEqualHex(expected, signature))) return nonce;
  }
  return null;
}

// An address is the user's own when one of their sessions was made from it.
export async function isKnownAddress(userId: string | null, ip: string) {
  if (ip === "unknown") return false;
  // The same query whether or not the address has an account, so timing tells nothing.
  return (await db.session.count({ where: { userId: userId ?? "", ip } })) > 0;
}

// "Email me a link": counted against the address and the IP whether or not anyone has
// that address, and always answered the same way by the caller.
export async function allowBrowserTrustLinkRequest(options: { email: string; request: RequestInfo; now?: Date }) {
  return takeHourlyQuotas(
    [
      { key: `trust-link:email:${options.email}`, limit: BROWSER_TRUST_LINKS_PER_EMAIL_PER_HOUR },
      { key: `trust-link:ip:${limitGroup(options.request.ip)}`, limit: BROWSER_TRUST_LINKS_PER_IP_PER_HOUR },
    ],
    options.now,
  );
}

export async function sendBrowserTrustLink(options: { email: string; request: RequestInfo; now?: Date }) {
  const issued = await issueEmailedLink({
    ...options,
    ttlMs: BROWSER_TRUST_LINK_TTL_MS,
    auditType: AuditType.browserTrustLinkSent,
    create: (tx, data) => tx.browserTrustLink.create({ data }),
  });
  if (!issued) return;
  const { user, token } = issued;
  await sendEmail({ to: user.email, userId: user.id, ...emails.browserTrustLink({ name: user.name, token }) });
}

export async function findBrowserTrustLink(token: string, now = new Date()) {
  if (!token || token.length > 128) return null;
  const link = await db.browserTrustLink.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: true },
  });
  if (!link || link.usedAt || link.expiresAt <= now || link.user.disabledAt) return null;
  return link;
}

// Burns the link (one conditional update: of two clicks exactly one wins) and returns a
// device token for the browser that opened it.
export async function redeemBrowserTrustLink(options: { token: string; request: RequestInfo; now?: Date }) {
  const now = options.now ?? new Date();
  const link = await findBrowserTrustLink(options.token, now);
  if (!link) return null;
  return db.$transaction(async (tx) => {
    const { count } = await tx.browserTrustLink.updateMany({
      where: { id: link.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    await audit(tx, {
      accountId: link.user.accountId,
      type: AuditType.browserTrusted,
      actorId: link.userId,
      targetId: link.userId,
      request: options.request,
    });
    return { userId: link.userId, deviceToken: newDeviceToken(link.userId, now) };
  });
}

export function deviceRateLimitKey(nonce: string) {
  return `pw:device:${hashToken(nonce).slice(0, 32)}`;
}
