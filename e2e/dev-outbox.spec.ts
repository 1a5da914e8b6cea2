import http from "node:http";
import net from "node:net";
import os from "node:os";
import { expect, test } from "@playwright/test";
import { screenshot } from "./helpers";
import { startOwnServer } from "./own-server";

// The quick start on a real server must not publish live codes (issue 16): /dev/outbox
// holds every SMS and email code, reset and invitation link. It answers only a client
// on this machine (the address scripts/serve.ts decides, trusted proxies included) with
// a Host naming this machine; everyone else gets 404, as in production. And outside
// production the server binds to loopback unless HOST or HOSTNAME says otherwise.
//
// The server here is our own, in test mode (as the suite's), trusting a proxy on this
// machine: the test plays that proxy, forwarding a public client's address.

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; location?: string }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, path, headers: { host: `localhost:${port}`, ...headers } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body, location: response.headers.location }));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

// An address of this machine that is not loopback, if it has one.
function publicInterfaceAddress() {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
}

test("the development outbox answers only this machine, and the server listens only there", async ({ page }) => {
  test.setTimeout(120_000);
  const server = await startOwnServer({ TRUSTED_PROXIES: "127.0.0.1", HOST: "", HOSTNAME: "" });
  try {
    expect(server.output()).toContain(`serve: listening on 127.0.0.1:${server.port}`);

    await test.step("a browser on this machine reads it", async () => {
      await page.goto(`${server.url}/dev/outbox`);
      await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
      await expect(page.getByText("only from this machine")).toBeVisible();
      await screenshot(page, "dev-outbox-local");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "dev-outbox-local-390");
      expect((await get(server.port, "/dev/outbox")).status).toBe(200);
    });

    await test.step("a public client through the trusted proxy gets 404, and no message", async () => {
      const forwarded = { "x-forwarded-for": "203.0.113.7" };
      const answer = await get(server.port, "/dev/outbox", forwarded);
      expect(answer.status).toBe(404);
      expect(answer.body).toContain("Page not found");
      expect(answer.body).not.toContain("Messages kept locally");
      // The request a client-side navigation makes (React Server Components): Next.js
      // answers those 200 with the not-found page in the payload, never the messages.
      const rsc = async (headers: Record<string, string>) => {
        const first = await get(server.port, "/dev/outbox", { ...headers, rsc: "1" });
        // Next.js first sends it to the URL carrying its cache-busting parameter.
        return first.location ? get(server.port, first.location, { ...headers, rsc: "1" }) : first;
      };
      expect((await rsc({})).body).toContain("Messages kept locally");
      const refused = await rsc(forwarded);
      expect(refused.body).toContain("Page not found");
      expect(refused.body).not.toContain("Messages kept locally");
      // The decided address counts, not the header: the proxy forwarding a local client is fine.
      expect((await get(server.port, "/dev/outbox", { "x-forwarded-for": "127.0.0.1" })).status).toBe(200);
    });

    await test.step("a page under another host name (DNS rebinding) gets 404", async () => {
      expect((await get(server.port, "/dev/outbox", { host: `rebind.example:${server.port}` })).status).toBe(404);
    });

    await test.step("another machine cannot even connect", async () => {
      const address = publicInterfaceAddress();
      if (!address) {
        test.info().annotations.push({ type: "not tried", description: "no interface besides loopback" });
        return;
      }
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port: server.port });
        socket.on("connect", () => {
          socket.destroy();
          resolve("connected");
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
      expect(refused).toBe("ECONNREFUSED");
    });
  } finally {
    server.stop();
  }
});
