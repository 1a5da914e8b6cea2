import http from "node:http";
import type { AddressInfo } from "node:net";

export type Recorded = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
export type Reply = { status: number; json?: unknown } | "hang";

// A local HTTP server standing in for a provider we can't reach (Resend, an SMS API):
// it records every request and answers what the test says.
export async function startFakeServer(reply: (request: Recorded) => Reply) {
  const received: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      received.push(request);
      const answer = reply(request);
      if (answer === "hang") return;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A Twilio-compatible SMS provider on this machine, and the settings that point the app
// at it: numbers ending in 0000 fail (to exercise fallbacks), the rest are accepted.
export async function startFakeSmsProvider() {
  const fake = await startFakeServer((request) => {
    const failing = (new URLSearchParams(request.body).get("To") ?? "").endsWith("0000");
    return failing ? { status: 500, json: { message: "carrier unreachable" } } : { status: 201, json: { sid: "SM1" } };
  });
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: "AC1",
    TWILIO_AUTH_TOKEN: "t",
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: fake.url,
  });
  return fake;
}
