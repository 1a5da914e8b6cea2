// The HTTP server in front of Next.js, for `npm start`, `npm run dev` and the browser tests.
// Next.js shows no socket to server actions, so this is where the client address is
// decided (lib/platform/client-address.ts) and handed on in a header no client can forge. It also
// turns faults into honest answers instead of a 500 (README "Request bodies and overload"):
// a body over the limit (413) or one a server action cannot take (400, 415), checked
// before Next.js reads it; a database that cannot be reached, or cannot serve a request in
// time (503 with a retry hint, JSON under /api/). And it starts the periodic cleanup of
// expired rows (lib/platform/cleanup.ts). It answers /healthz and /readyz itself, and stops
// gracefully on SIGTERM or SIGINT (README "Operating it"; lib/platform/readiness.ts, shutdown.ts).
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import next from "next";
import { startAuditStream } from "../lib/audit/stream-delivery";
import { KEEP_ALIVE_TIMEOUT_MS, REQUEST_BODY_MAX_BYTES, UNAVAILABLE_RETRY_AFTER_SECONDS } from "../lib/config";
import { startCleanup } from "../lib/platform/cleanup";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  encodeClientAddressHeader,
  peerIsTrusted,
} from "../lib/platform/client-address";
import { databaseAnswers } from "../lib/platform/db-probe";
import { type Env, env } from "../lib/platform/env";
import { logger } from "../lib/platform/logger";
import { answerHealthCheck } from "../lib/platform/readiness";
import { actionBodyRefusal } from "../lib/platform/request-body";
import { noteAnswerReason, REQUEST_ID_HEADER, withObservability } from "../lib/platform/request-log";
import { type RequestOutcome, withRequestOutcome } from "../lib/platform/request-outcome";
import { onStop, stopOnSignals } from "../lib/platform/shutdown";
import { deliveryNotice } from "./start-summary";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);

let trusted: Env["TRUSTED_PROXIES"];
// HOST or HOSTNAME; without either, only this machine outside production (lib/platform/env.ts).
let hostname: Env["HOST"];
try {
  ({ TRUSTED_PROXIES: trusted, HOST: hostname } = env());
} catch (error) {
  logger.fatal(`serve: ${(error as Error).message}`);
  process.exit(1);
}
// Made here, for this process only: the app believes the address header only with it.
process.env.CLIENT_ADDRESS_PROOF = crypto.randomBytes(24).toString("base64url");

const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

function page(title: string, text: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · StrongSign</title><style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:2rem;max-width:28rem;margin:1rem}h1{font-size:1.25rem;margin:0 0 .5rem}p{color:#475569;line-height:1.5}a{color:#4338ca}</style></head>
<body><main><h1>${title}</h1><p>${text}</p>
<p>Please try again in a minute: <a href="">reload this page</a>.</p></main></body></html>`;
}

type Answer = { status: number; headers: http.OutgoingHttpHeaders; body: string };

// The database is down (`overloaded` false) or could not serve the request in time.
function unavailable(isApi: boolean, overloaded: boolean): Answer {
  const headers = { "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS), "cache-control": "no-store" };
  if (isApi) {
    const body = JSON.stringify({
      error: {
        code: "service_unavailable",
        message: `The service is temporarily unavailable. Try again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`,
      },
    });
    return { status: 503, headers: { ...headers, "content-type": "application/json" }, body };
  }
  const csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
  return {
    status: 503,
    headers: { ...headers, "content-type": "text/html; charset=utf-8", "content-security-policy": csp },
    body: overloaded
      ? page("StrongSign is too busy right now", "We couldn't get to your request in time.")
      : page("StrongSign is temporarily unavailable", "We can't reach our database right now. Nothing was changed."),
  };
}

const API_CODES: Record<number, string> = {
  400: "invalid_request",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

function refusal(isApi: boolean, status: number, message: string): Answer {
  const headers = { "cache-control": "no-store" };
  if (isApi) {
    const code = API_CODES[status];
    const body = JSON.stringify({ error: { code, message } });
    return { status, headers: { ...headers, "content-type": "application/json" }, body };
  }
  return { status, headers: { ...headers, "content-type": "text/plain; charset=utf-8" }, body: message };
}

const TOO_LARGE = `Payload too large: request bodies are limited to ${REQUEST_BODY_MAX_BYTES / 1024 / 1024} MiB.`;

// The whole body, or null past the limit. Past it nothing more is kept, but the rest is
// still read (and dropped) while the answer goes out: a client, or a proxy in front, that
// is still sending then gets the 413 rather than a connection cut mid-upload.
function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  if (Number(req.headers["content-length"]) > REQUEST_BODY_MAX_BYTES) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | null = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (chunks && size > REQUEST_BODY_MAX_BYTES) {
        chunks = null;
        resolve(null);
      }
      chunks?.push(chunk);
    });
    req.on("end", () => resolve(chunks && Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// The request again, its body read: what Next.js is handed once the body passed.
function replay(req: http.IncomingMessage, body: Buffer) {
  const copy = new http.IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    // A message that is not complete when it is done with takes its socket down with it.
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

// Holds back a 5xx answer, a 405 (Next.js sends it without a word), or any answer to a
// request the app refused, until `replace` has decided whether to answer otherwise.
function interceptServerErrors(
  res: http.ServerResponse,
  outcome: RequestOutcome,
  replace: (status: number) => Promise<Answer | null>,
) {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let held: unknown[] | null = null;
  const chunks: unknown[][] = [];
  const holds = (status: number) => status >= 500 || status === 405 || outcome.refused !== undefined;
  res.writeHead = ((...args: unknown[]) => {
    if (held !== null || (typeof args[0] === "number" && holds(args[0]))) {
      held = args;
      return res;
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
  const flushHeaders = res.flushHeaders.bind(res);
  res.flushHeaders = () => {
    if (held === null && holds(res.statusCode)) held = [res.statusCode];
    if (held === null) flushHeaders();
  };
  res.write = ((...args: unknown[]) => {
    if (!res.headersSent && held === null && holds(res.statusCode)) held = [res.statusCode];
    if (held === null) return write(...args);
    chunks.push(args.filter((arg) => typeof arg !== "function"));
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (!res.headersSent && held === null && holds(res.statusCode)) held = [res.statusCode];
    if (held === null) return end(...args);
    const [first] = args;
    if (first !== undefined && typeof first !== "function")
      chunks.push(args.filter((arg) => typeof arg !== "function"));
    const heldHead = held;
    void replace(typeof heldHead[0] === "number" ? heldHead[0] : res.statusCode)
      .catch(() => null)
      .then((replacement) => {
        if (replacement) {
          for (const name of res.getHeaderNames()) if (name !== REQUEST_ID_HEADER) res.removeHeader(name);
          writeHead(replacement.status, replacement.headers);
          end(replacement.body);
          return;
        }
        writeHead(...heldHead);
        for (const chunk of chunks) write(...chunk);
        end();
      });
    return res;
  }) as typeof res.end;
}

const app = next({ dev, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

// Hands the request to Next.js, and turns what the app noted about it into the answer:
// a refusal (400), a database too busy (503) or out of reach (503).
function serve(req: http.IncomingMessage, res: http.ServerResponse, isApi: boolean) {
  const outcome: RequestOutcome = {};
  interceptServerErrors(res, outcome, async (status) => {
    if (outcome.refused !== undefined) {
      noteAnswerReason(outcome.refused);
      return refusal(isApi, 400, outcome.refused);
    }
    if (status === 405) return refusal(isApi, 405, `Method not allowed: this address does not take ${req.method}.`);
    if (outcome.overloaded) {
      noteAnswerReason("the database could not serve it in time");
      return unavailable(isApi, true);
    }
    return (await databaseAnswers()) ? null : unavailable(isApi, false);
  });
  void withRequestOutcome(outcome, () => handle(req, res));
}

const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (answerHealthCheck(req, res, root)) return;
  const peer = req.socket.remoteAddress;
  const address = clientAddress({ peer, forwardedFor: req.headers["x-forwarded-for"], trusted });
  // Forwarding headers count only when a trusted proxy wrote them; Next.js then fills in
  // its own from the socket.
  if (!peerIsTrusted(peer, trusted)) for (const name of FORWARDING_HEADERS) delete req.headers[name];
  req.headers[CLIENT_ADDRESS_HEADER] = encodeClientAddressHeader(address, process.env.CLIENT_ADDRESS_PROOF!);

  const isApi = (req.url ?? "").startsWith("/api/");
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return serve(req, res, isApi);

  // Every other request's body is read here first, so that none larger than the limit
  // reaches Next.js (413), and a server action's is checked before Next.js decodes it.
  const refuse = (status: number, message: string) => {
    noteAnswerReason(message);
    const answer = refusal(isApi, status, message);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  void readBody(req).then(
    async (body) => {
      if (!body) return refuse(413, TOO_LARGE);
      const actionId = req.headers["next-action"];
      const bad = isApi
        ? null
        : await actionBodyRefusal({
            actionId: typeof actionId === "string" ? actionId : undefined,
            contentType: req.headers["content-type"],
            body,
          });
      if (bad) return refuse(bad.status, bad.message);
      serve(replay(req, body), res, isApi);
    },
    () => res.destroy(),
  );
};
// README "Operating it": a log line and a measure per request, and GET /metrics.
const server = http.createServer(withObservability(trusted, handleRequest));
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
// Node requires the wait for a request's headers to be longer than the keep-alive wait.
server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;

server.listen(port, hostname, () => {
  logger.info(
    `serve: listening on ${hostname ?? "all interfaces"}:${port}, trusted proxies: ${process.env.TRUSTED_PROXIES || "none"}`,
  );
  // `npm start` says this and more itself (scripts/start-summary.ts).
  if (dev) logger.info(`development mode: ${deliveryNotice(env())}`);
  onStop(startCleanup());
  // Audit streaming's delivery loop (README "Audit streaming"), stopped before exiting.
  onStop(startAuditStream());
});
stopOnSignals(server, () => app.close());
