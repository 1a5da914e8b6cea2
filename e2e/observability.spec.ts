import crypto from "node:crypto";
import http from "node:http";
import { type Browser, expect, test } from "@playwright/test";
import { readMessageBody } from "../lib/messages/outbox";
import { db } from "../lib/platform/db";
import { lastSentCode, PASSWORD, seedSmsUser, seedUser, seedUserWithTotp, signIn } from "./helpers";
import { logLines, startOwnServer } from "./own-server";
import { totp } from "./totp";

// README "Metrics" and "Logs", on a server of our own (its counters are its own, whatever
// the other journeys do) with LOG_LEVEL=debug: sign-ins by password and app code, by
// texted code, a password reset, the API with a bearer token, and a text the provider
// refuses. /metrics moves by exactly what happened; the log has a JSON line per request
// and per event, and not one of the secrets that went by.

const METRICS_TOKEN = crypto.randomBytes(24).toString("base64url");
const NEW_PASSWORD = "a quiet orchard after rain";

// A Twilio-compatible provider on this machine that refuses numbers ending in 0000.
async function startSmsProvider() {
  const provider = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const failing = (new URLSearchParams(raw).get("To") ?? "").endsWith("0000");
      res.writeHead(failing ? 500 : 201, { "content-type": "application/json" });
      res.end(JSON.stringify(failing ? { message: "carrier unreachable" } : { sid: `SM${Date.now()}` }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  return { provider, url: `http://127.0.0.1:${(provider.address() as { port: number }).port}` };
}

type Sample = { name: string; labels: Record<string, string>; value: number };

function parseMetrics(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [, name, labelText = "", value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
      return { name, labels, value: Number(value) };
    });
}

function sum(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

async function signInWithApp(browser: Browser, baseURL: string, email: string, secret: string) {
  const page = await browser.newPage({ baseURL });
  await signIn(page, email);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  return page;
}

test("/metrics counts what happened, and the log is JSON lines without a secret", async ({ browser }) => {
  test.setTimeout(180_000);
  const sms = await startSmsProvider();
  const server = await startOwnServer({
    LOG_LEVEL: "debug",
    METRICS_TOKEN,
    TWILIO_ACCOUNT_SID: "ACobserve",
    TWILIO_AUTH_TOKEN: "observe-provider-token",
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: sms.url,
  });
  const metrics = async () => {
    const answer = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/plain");
    return parseMetrics(await answer.text());
  };
  const secrets: Record<string, string> = { password: PASSWORD, newPassword: NEW_PASSWORD, METRICS_TOKEN };
  try {
    await test.step("/metrics answers only the bearer of METRICS_TOKEN", async () => {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
      const basic = await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${METRICS_TOKEN}` } });
      expect(basic.status).toBe(401);
    });
    const before = await metrics();
    expect(sum(before, "process_cpu_user_seconds_total")).toBeGreaterThan(0);

    const { user: appUser, secret } = await seedUserWithTotp();
    await test.step("a wrong password, then the password and an app code", async () => {
      const page = await browser.newPage({ baseURL: server.url });
      await signIn(page, appUser.email, "not the password at all");
      await expect(page.getByText("Incorrect email or password.")).toBeVisible();
      await page.close();
      const signedIn = await signInWithApp(browser, server.url, appUser.email, secret);
      secrets.appCode = totp(secret);
      const cookie = (await signedIn.context().cookies()).find((c) => c.name.includes("session-token"));
      expect(cookie).toBeDefined();
      secrets.sessionCookie = cookie!.value;
      await signedIn.close();
    });

    await test.step("the password and a texted code", async () => {
      const { user, phone } = await seedSmsUser();
      const page = await browser.newPage({ baseURL: server.url });
      await signIn(page, user.email);
      await expect(page.getByText(/We sent a 6-digit code by SMS/)).toBeVisible();
      secrets.smsCode = await lastSentCode(phone);
      await page.getByLabel("Sign-in code").fill(secrets.smsCode);
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
      await page.close();
    });

    await test.step("a password reset through the emailed link", async () => {
      const page = await browser.newPage({ baseURL: server.url });
      await page.goto("/login/forgot");
      await page.getByLabel("Email").fill(appUser.email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await expect(page.getByText(/we've emailed it a link/)).toBeVisible();
      const subject = "Reset your StrongSign password";
      await expect.poll(() => db.outboundMessage.count({ where: { to: appUser.email, subject } })).toBe(1);
      const message = await db.outboundMessage.findFirstOrThrow({ where: { to: appUser.email, subject } });
      const link = readMessageBody(message)!.match(/https?:\/\/\S+\/reset-password\/(\S+)/)!;
      secrets.resetToken = link[1];
      await page.goto(new URL(link[0]).pathname);
      await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Change password" }).click();
      await expect(page.getByText("Your password was changed and every session signed out.")).toBeVisible();
      await page.close();
    });

    let apiRequestId = "";
    await test.step("the API: a sign-in without 2FA, then a request with its bearer token", async () => {
      const member = await seedUser();
      const signedIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: member.email, password: PASSWORD }),
      });
      expect(signedIn.status).toBe(200);
      secrets.apiToken = ((await signedIn.json()) as { token: string }).token;
      // From a peer that is not a trusted proxy, a forwarded address is not believed.
      const me = await fetch(`${server.url}/api/v1/me?token=${secrets.apiToken}`, {
        headers: { authorization: `Bearer ${secrets.apiToken}`, "x-forwarded-for": "203.0.113.9" },
      });
      expect(me.status).toBe(200);
      apiRequestId = me.headers.get("x-request-id")!;
      expect(apiRequestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    await test.step("a text the provider refuses: the code goes by email", async () => {
      const member = await seedUser();
      const phone = `+44770${crypto.randomInt(100, 1000)}0000`;
      await db.user.update({
        where: { id: member.id },
        data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone, phoneVerifiedAt: new Date() },
      });
      const answer = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: member.email, password: PASSWORD }),
      });
      expect(await answer.json()).toMatchObject({ code_sent_by: "email", code_fallback: "sms_failed" });
      secrets.emailedCode = await lastSentCode(member.email);
    });

    await test.step("the counters moved by exactly that", async () => {
      const after = await metrics();
      const moved = (name: string, labels: Record<string, string> = {}) =>
        sum(after, name, labels) - sum(before, name, labels);
      const signIns = "strongsign_sign_ins_total";
      expect(moved(signIns, { outcome: "password_failed", method: "password" })).toBe(1);
      expect(moved(signIns, { outcome: "succeeded", method: "totp" })).toBe(1);
      expect(moved(signIns, { outcome: "succeeded", method: "sms" })).toBe(1);
      expect(moved(signIns, { outcome: "succeeded", method: "none" })).toBe(1);
      expect(moved(signIns)).toBe(4);
      expect(moved("strongsign_second_step_lockouts_total")).toBe(0);
      expect(moved("strongsign_messages_total", { channel: "sms", result: "sent" })).toBe(1);
      expect(moved("strongsign_messages_total", { channel: "sms", result: "failed" })).toBe(1);
      // The reset link and the code that stood in for the refused text (a new browser's
      // notice may add more).
      expect(moved("strongsign_messages_total", { channel: "email", result: "sent" })).toBeGreaterThanOrEqual(2);
      expect(
        moved("strongsign_http_request_duration_seconds_count", { route_group: "login", method: "POST" }),
      ).toBeGreaterThan(4);
      expect(moved("strongsign_http_request_duration_seconds_count", { route_group: "api" })).toBe(3);
      expect(moved("strongsign_db_query_duration_seconds_count")).toBeGreaterThan(0);
      expect(sum(after, "strongsign_cleanup_last_run_timestamp_seconds")).toBeGreaterThan(0);
      expect(sum(after, "strongsign_active_sessions")).toBeGreaterThanOrEqual(0);
      const labelValues = after.flatMap((sample) => Object.values(sample.labels));
      expect(labelValues.filter((v) => v.includes("@") || /^\d+\.\d+\.\d+\.\d+$|^[0-9a-f:]*::/.test(v))).toEqual([]);
    });

    await test.step("the log: a JSON line per request, the events, and none of the secrets", async () => {
      const output = server.output();
      for (const [name, value] of Object.entries(secrets)) {
        expect(value.length, name).toBeGreaterThan(5);
        expect(output.includes(value), `${name} is in the log`).toBe(false);
      }
      const lines = logLines(output);
      const requests = lines.filter((line) => line.msg === "request");
      expect(requests.length).toBeGreaterThan(20);
      for (const line of requests) {
        expect(Object.keys(line)).toEqual(
          expect.arrayContaining(["time", "level", "requestId", "method", "route", "status", "durationMs", "client"]),
        );
        expect(String(line.route)).not.toContain("?");
      }
      expect(requests.map((line) => line.route)).toContain("/reset-password/:token");
      expect(requests.find((line) => line.requestId === apiRequestId)).toMatchObject({
        level: "info",
        method: "GET",
        route: "/api/v1/me",
        status: 200,
        client: "127.0.0.1",
      });
      const events = lines.filter((line) => typeof line.event === "string");
      expect(events).toContainEqual(
        expect.objectContaining({ event: "sign_in", outcome: "password_failed", level: "warn", userId: appUser.id }),
      );
      expect(events).toContainEqual(expect.objectContaining({ event: "sign_in", outcome: "succeeded", method: "sms" }));
      expect(events).toContainEqual(
        expect.objectContaining({ event: "delivery_failed", channel: "sms", provider: "twilio", level: "warn" }),
      );
      // An event written while a request was served carries its id.
      const signInEvents = events.filter((line) => line.event === "sign_in");
      expect(signInEvents.every((line) => requests.some((request) => request.requestId === line.requestId))).toBe(true);
    });
  } finally {
    server.stop();
    sms.provider.close();
  }
});

test("/metrics does not exist without METRICS_TOKEN", async () => {
  const server = await startOwnServer({ METRICS_TOKEN: "" });
  try {
    const answer = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer anything-at-all" } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    server.stop();
  }
});
