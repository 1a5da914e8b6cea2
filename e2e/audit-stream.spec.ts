import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
import { adminOf, screenshot, seedAccount } from "./helpers";

// The receiver's check, as README "Audit streaming" shows it.
function verify(secret: string, header: string, body: string) {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=")));
  const expected = crypto.createHmac("sha256", secret).update(`${parts.t}.${body}`).digest("hex");
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) <= 300;
  return (
    fresh &&
    expected.length === parts.v1?.length &&
    crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1))
  );
}

type Received = { type: string; id: string; signature: string; body: string; answered: number };

// A webhook receiver on this machine, answering `status` (200 unless a step says otherwise).
async function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const event = JSON.parse(body);
      received.push({
        type: event.type,
        id: String(req.headers["strongsign-event-id"]),
        signature: String(req.headers["strongsign-signature"]),
        body,
        answered: state.status,
      });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, state, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("an admin streams the audit trail to a webhook: signed, retried in order, stopped by Disable", async ({
  browser,
}) => {
  const receiver = await startReceiver();
  const account = await seedAccount("Streamers");
  const { page, admin } = await adminOf(browser, account.id);
  // Each event once, in the order of its first delivery: delivery is at least once
  // (README "Audit streaming"), and a receiver tells a repeat by its event id.
  const delivered = () => {
    const seen = new Set<string>();
    return receiver.received.filter((r) => r.answered === 200 && !seen.has(r.id) && seen.add(r.id)).map((r) => r.type);
  };

  await page.goto("/account/advanced");
  const card = page.locator("#audit-stream");
  await card.getByLabel("Webhook URL").fill("http://siem.example.test/hook");
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card.getByText("Use an https:// address, or http:// only to this machine")).toBeVisible();

  await card.getByLabel("Webhook URL").fill(`${receiver.url}/hook`);
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card.getByText("Copy the signing secret now")).toBeVisible();
  const secret = (await card.getByLabel("Signing secret").textContent()) ?? "";
  expect(secret).toMatch(/^whsec_/);
  await screenshot(page, "audit-stream-secret");

  // Shown once: not after a reload.
  await page.reload();
  await expect(card.getByText("Sending to")).toBeVisible();
  await expect(card.getByLabel("Signing secret")).toHaveCount(0);

  await card.getByRole("button", { name: "Send test event" }).click();
  await expect(card.getByText("Test event queued")).toBeVisible();
  await expect.poll(delivered).toEqual(["audit_stream.enabled", "audit_stream.test_sent"]);
  for (const request of receiver.received) {
    expect(verify(secret, request.signature, request.body)).toBe(true);
    expect(JSON.parse(request.body).id).toBe(request.id);
  }
  expect(receiver.received.map((r) => r.body).join()).not.toContain(secret);

  // The receiver fails: the test event is retried, and the address change queued after it
  // waits for it.
  receiver.state.status = 500;
  await card.getByRole("button", { name: "Send test event" }).click();
  await expect(card.getByText("Test event queued")).toBeVisible();
  await card.getByLabel("Webhook URL").fill(`${receiver.url}/hook2`);
  await card.getByRole("button", { name: "Save address" }).click();
  await expect(card.getByText("Saved. Events from now on go to this address.")).toBeVisible();
  await expect.poll(() => receiver.received.filter((r) => r.answered === 500).length).toBeGreaterThanOrEqual(2);
  expect(receiver.received.filter((r) => r.answered === 500).map((r) => r.type)).toEqual(
    receiver.received.filter((r) => r.answered === 500).map(() => "audit_stream.test_sent"),
  );
  await page.reload();
  await expect(card.getByText("Failed · HTTP 500").first()).toBeVisible();
  await screenshot(page, "audit-stream-failing");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "audit-stream-390");
  await page.setViewportSize({ width: 1280, height: 720 });

  receiver.state.status = 200;
  await expect
    .poll(delivered)
    .toEqual(["audit_stream.enabled", "audit_stream.test_sent", "audit_stream.test_sent", "audit_stream.url_changed"]);
  const firstUrlChange = receiver.received.findIndex((r) => r.type === "audit_stream.url_changed");
  const retriedTest = receiver.received.findLastIndex((r) => r.type === "audit_stream.test_sent");
  expect(receiver.received[retriedTest].answered).toBe(200);
  expect(firstUrlChange).toBeGreaterThan(retriedTest);
  for (const request of receiver.received) expect(verify(secret, request.signature, request.body)).toBe(true);

  // Disabled with an event still failing: it is never sent again, nor anything after.
  receiver.state.status = 500;
  const failures = () => receiver.received.filter((r) => r.answered === 500).length;
  const failedBefore = failures();
  await card.getByRole("button", { name: "Send test event" }).click();
  await expect.poll(failures).toBeGreaterThan(failedBefore);
  await card.getByRole("button", { name: "Disable" }).click();
  await expect(card.getByText("Audit streaming is off.")).toBeVisible();
  const countAtDisable = receiver.received.length;
  receiver.state.status = 200;
  await page.getByLabel("Login session duration (days)").fill("30");
  await page.locator("#session-duration").getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#session-duration").getByText("Saved")).toBeVisible();
  await page.reload();
  await expect(card.getByText("Not sent: streaming turned off")).toBeVisible();
  const deliveries = await db.auditDelivery.findMany({ where: { accountId: account.id }, include: { event: true } });
  expect(deliveries.filter((d) => d.status === "pending")).toEqual([]);
  expect(deliveries.map((d) => d.event.type)).not.toContain("sessions.duration_changed");
  expect(deliveries.map((d) => d.event.type)).not.toContain("audit_stream.disabled");
  expect(receiver.received.length).toBe(countAtDisable);

  // Out of sudo mode the deliveries still show, and changing anything asks to confirm it's you.
  await db.session.updateMany({ where: { userId: admin.id }, data: { sudoAt: null } });
  await page.reload();
  await expect(card.getByRole("link", { name: "confirm it's you" })).toBeVisible();
  await expect(card.getByLabel("Webhook URL")).toHaveCount(0);
  await expect(card.getByText("Audit streaming turned on")).toBeVisible();
  await receiver.close();
});
