// Property: a stranger's wrong passwords slow strangers only; the owner's known browsers and addresses get in, and a new browser via an emailed link.
import { describe, expect, it } from "vitest";
import { DEVICE_COOKIES_PER_BROWSER, PASSWORD_FREE_ATTEMPTS_PER_EMAIL } from "@/lib/config";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import {
  allowBrowserTrustLinkRequest,
  deviceCookieName,
  deviceCookiesToDrop,
  findBrowserTrustLink,
  newDeviceToken,
  recognisedDevice,
  redeemBrowserTrustLink,
  sendBrowserTrustLink,
} from "@/lib/sign-in/known-device";
import { passwordStep } from "@/lib/sign-in/password-step";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories";

// The attack: a stranger who knows only someone's email address retries wrong passwords for
// it without end, to keep the owner out (docs/security-model.md, "Limits and locks": a
// stranger must not be able to lock someone out). Guessing is slowed down, but the owner's
// own browsers and addresses are not, and a new browser gets in through a link sent to the
// address.

let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;
const stranger = (ip = freshIp()) => ({ ip, userAgent: "curl" });

async function hammer(email: string, times: number) {
  for (let i = 0; i < times; i++) await passwordStep({ email, password: `wrong guess ${i}`, request: stranger() });
}

describe("device cookies and the password step", () => {
  it("slows strangers down per address, but not a browser the owner has signed in with", async () => {
    const user = await createUser();
    const device = newDeviceToken(user.id);
    await hammer(user.email, PASSWORD_FREE_ATTEMPTS_PER_EMAIL + 2);

    const newBrowser = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: stranger() });
    expect(newBrowser).toMatchObject({ ok: false, error: "rate_limited", recognised: false });

    const ownBrowser = await passwordStep({
      email: user.email,
      password: TEST_PASSWORD,
      request: stranger(),
      deviceTokens: [device],
    });
    expect(ownBrowser.ok).toBe(true);
  });

  it("counts a recognised browser's wrong passwords against that browser alone", async () => {
    const user = await createUser();
    const device = newDeviceToken(user.id);
    for (let i = 0; i <= PASSWORD_FREE_ATTEMPTS_PER_EMAIL; i++) {
      await passwordStep({ email: user.email, password: "wrong", request: stranger(), deviceTokens: [device] });
    }
    const same = await passwordStep({
      email: user.email,
      password: TEST_PASSWORD,
      request: stranger(),
      deviceTokens: [device],
    });
    expect(same).toMatchObject({ ok: false, error: "rate_limited", recognised: true });
    // Neither the address's limit for strangers nor another browser of the owner is touched.
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD, request: stranger() })).ok).toBe(true);
    expect(
      (
        await passwordStep({
          email: user.email,
          password: TEST_PASSWORD,
          request: stranger(),
          deviceTokens: [newDeviceToken(user.id)],
        })
      ).ok,
    ).toBe(true);
  });

  it("does not hold back a new browser at an address the owner has signed in from", async () => {
    const user = await createUser();
    const home = freshIp();
    await createSession(db, { userId: user.id, request: { ip: home, userAgent: "old browser" } });
    await hammer(user.email, PASSWORD_FREE_ATTEMPTS_PER_EMAIL + 2);
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD, request: stranger(home) })).ok).toBe(true);
  });

  it("recognises only a well-signed, unexpired cookie of the same user", async () => {
    const user = await createUser();
    const other = await createUser();
    const token = newDeviceToken(user.id);
    const [nonce, issuedAt, signature] = token.split(".");
    expect(recognisedDevice(user.id, [token])).toBe(nonce);
    expect(recognisedDevice(other.id, [token])).toBeNull();
    expect(recognisedDevice(user.id, [`${nonce}.${Number(issuedAt) + 1}.${signature}`])).toBeNull();
    expect(recognisedDevice(user.id, [`x${nonce}.${issuedAt}.${signature}`])).toBeNull();
    expect(recognisedDevice(user.id, [`${nonce}.${issuedAt}.${signature}.extra`, "garbage", ""])).toBeNull();
    const old = newDeviceToken(user.id, new Date(Date.now() - 181 * 24 * 60 * 60_000));
    expect(recognisedDevice(user.id, [old])).toBeNull();
    expect(recognisedDevice(user.id, ["garbage", token])).toBe(nonce);
  });

  it("a forged cookie does not escape the limit", async () => {
    const user = await createUser();
    await hammer(user.email, PASSWORD_FREE_ATTEMPTS_PER_EMAIL + 2);
    const forged = `${"a".repeat(22)}.${Math.floor(Date.now() / 1000)}.${"0".repeat(64)}`;
    const result = await passwordStep({
      email: user.email,
      password: TEST_PASSWORD,
      request: stranger(),
      deviceTokens: [forged],
    });
    expect(result).toMatchObject({ ok: false, error: "rate_limited", recognised: false });
  });
});

describe("device cookies a browser keeps", () => {
  // A shared computer gathers one a person; past the limit its requests would carry more
  // headers than the server takes, and every one would be refused.
  it("keeps the most recently renewed, up to the limit, and never the one being set", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const cookies = Array.from({ length: DEVICE_COOKIES_PER_BROWSER + 2 }, (_, i) => ({
      name: deviceCookieName(`user-${i}`),
      // The newest first, as a browser may send them in any order.
      value: newDeviceToken(`user-${i}`, new Date(at.getTime() - i * 60_000)),
    }));
    const others = [...cookies, { name: "authjs.session-token", value: "x" }];
    const keep = deviceCookieName("someone new");
    const dropped = deviceCookiesToDrop(others, keep);
    // Room for the new one: the three oldest go.
    expect(dropped).toEqual(
      cookies
        .slice(-3)
        .map((cookie) => cookie.name)
        .reverse(),
    );
    // Renewing one the browser holds keeps all the others, up to the limit.
    expect(deviceCookiesToDrop(cookies.slice(0, DEVICE_COOKIES_PER_BROWSER), cookies[0].name)).toEqual([]);
    expect(deviceCookiesToDrop(cookies.slice(0, 3), keep)).toEqual([]);
  });
});

describe("the emailed link for a new browser", () => {
  it("emails a single-use link that makes the browser opening it recognised", async () => {
    const user = await createUser();
    await sendBrowserTrustLink({ email: user.email, request: stranger() });
    const message = await db.outboundMessage.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
    });
    const token = /\/login\/trust\/([\w-]+)/.exec(readMessageBody(message)!)![1];
    expect(await findBrowserTrustLink(token)).not.toBeNull();

    const uses = await Promise.all([
      redeemBrowserTrustLink({ token, request: stranger() }),
      redeemBrowserTrustLink({ token, request: stranger() }),
    ]);
    const won = uses.filter(Boolean);
    expect(won).toHaveLength(1);
    expect(recognisedDevice(user.id, [won[0]!.deviceToken])).not.toBeNull();
    expect(await redeemBrowserTrustLink({ token, request: stranger() })).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "sign_in.browser_trusted" } })).toBe(1);

    await hammer(user.email, PASSWORD_FREE_ATTEMPTS_PER_EMAIL + 2);
    const signIn = await passwordStep({
      email: user.email,
      password: TEST_PASSWORD,
      request: stranger(),
      deviceTokens: [won[0]!.deviceToken],
    });
    expect(signIn.ok).toBe(true);
  });

  it("sends nothing for an address without an account, and refuses an expired link", async () => {
    const email = uniqueEmail("nobody");
    await sendBrowserTrustLink({ email, request: stranger() });
    expect(await db.outboundMessage.count({ where: { to: email } })).toBe(0);

    const user = await createUser();
    const then = new Date(Date.now() - 61 * 60_000);
    await sendBrowserTrustLink({ email: user.email, request: stranger(), now: then });
    const message = await db.outboundMessage.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
    });
    const token = /\/login\/trust\/([\w-]+)/.exec(readMessageBody(message)!)![1];
    expect(await redeemBrowserTrustLink({ token, request: stranger() })).toBeNull();
  });

  it("limits how often an address can be sent links, whether or not it has an account", async () => {
    const email = uniqueEmail("flood");
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await allowBrowserTrustLinkRequest({ email, request: stranger() }));
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, false]);
  });

  it("leaves the owner a working link when a stranger has used up the address's links", async () => {
    const user = await createUser();
    for (let i = 0; i < 3; i++) {
      const allowed = await allowBrowserTrustLinkRequest({ email: user.email, request: stranger() });
      if (allowed.ok) await sendBrowserTrustLink({ email: user.email, request: stranger() });
    }
    expect((await allowBrowserTrustLinkRequest({ email: user.email, request: stranger() })).ok).toBe(false);
    const newest = await db.outboundMessage.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
    });
    const token = /\/login\/trust\/([\w-]+)/.exec(readMessageBody(newest)!)![1];
    const inFiftyMinutes = new Date(Date.now() + 50 * 60_000);
    expect(await redeemBrowserTrustLink({ token, request: stranger(), now: inFiftyMinutes })).not.toBeNull();
  });
});
