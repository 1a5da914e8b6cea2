// The HTTP server in front of Next.js, for `npm start`, `npm run dev` and the browser tests.
// Next.js shows no socket to server actions, so this is where the client address is
// decided (lib/client-address.ts) and handed on in a header no client can forge. It also
// turns two kinds of fault into honest answers instead of a 500: a database that cannot
// be reached (503 with a retry hint, JSON under /api/) and a form post whose body is not
// a complete form (400). And it starts the periodic cleanup of expired rows (lib/cleanup.ts).
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import next from "next";
import { startCleanup } from "../lib/cleanup";
import { CLIENT_ADDRESS_HEADER, clientAddress, encodeClientAddressHeader, peerIsTrusted } from "../lib/client-address";
import { databaseAnswers } from "../lib/db-probe";
import { type Env, env } from "../lib/env";
import { deliveryNotice } from "./start-summary";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);

let trusted: Env["TRUSTED_PROXIES"];
// HOST or HOSTNAME; without either, only this machine outside production (lib/env.ts).
let hostname: Env["HOST"];
try {
  ({ TRUSTED_PROXIES: trusted, HOST: hostname } = env());
} catch (error) {
  console.error(`serve: ${(error as Error).message}`);
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
const FORM_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain"];

function sendPlain(res: http.ServerResponse, status: number, text: string) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

const UNAVAILABLE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · StrongSign</title><style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:2rem;max-width:28rem;margin:1rem}h1{font-size:1.25rem;margin:0 0 .5rem}p{color:#475569;line-height:1.5}a{color:#4338ca}</style></head>
<body><main><h1>StrongSign is temporarily unavailable</h1><p>We can't reach our database right now. Nothing was changed.</p>
<p>Please try again in a minute: <a href="">reload this page</a>.</p></main></body></html>`;

type Answer = { status: number; headers: http.OutgoingHttpHeaders; body: string };

function unavailable(isApi: boolean): Answer {
  const headers = { "retry-after": "30", "cache-control": "no-store" };
  if (isApi) {
    const body = JSON.stringify({
      error: {
        code: "service_unavailable",
        message: "The service is temporarily unavailable. Try again in 30 seconds.",
      },
    });
    return { status: 503, headers: { ...headers, "content-type": "application/json" }, body };
  }
  const csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
  return {
    status: 503,
    headers: { ...headers, "content-type": "text/html; charset=utf-8", "content-security-policy": csp },
    body: UNAVAILABLE_PAGE,
  };
}

const BAD_FORM: Answer = {
  status: 400,
  headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  body: "Bad request: the form data was incomplete.",
};

// Watches a form post's body as Next.js reads it, without taking it, so that after a
// failure we can tell whether the body was a complete multipart form (it ends with the
// closing boundary). What Next.js left unread is drained then.
function watchMultipartBody(req: http.IncomingMessage) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers["content-type"] ?? "");
  const closing = boundary ? `--${boundary[1] ?? boundary[2].trim()}--` : null;
  let tail = "";
  let ended = false;
  const emit = req.emit.bind(req) as (event: string, ...args: unknown[]) => boolean;
  req.emit = ((event: string, ...args: unknown[]) => {
    if (event === "data" && Buffer.isBuffer(args[0])) tail = (tail + args[0].toString("latin1")).slice(-512);
    if (event === "end") ended = true;
    return emit(event, ...args);
  }) as typeof req.emit;
  return async function malformed() {
    if (!closing) return true;
    if (!ended && !req.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        req.on("end", done);
        req.on("error", done);
        req.resume();
      });
    }
    return !ended || !tail.trimEnd().endsWith(closing);
  };
}

// Holds back a 5xx answer until `replace` has decided whether to answer otherwise.
function interceptServerErrors(res: http.ServerResponse, replace: () => Promise<Answer | null>) {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let held: unknown[] | null = null;
  const chunks: unknown[][] = [];
  res.writeHead = ((...args: unknown[]) => {
    if (held !== null || (typeof args[0] === "number" && args[0] >= 500)) {
      held = args;
      return res;
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
  const flushHeaders = res.flushHeaders.bind(res);
  res.flushHeaders = () => {
    if (held === null && res.statusCode >= 500) held = [res.statusCode];
    if (held === null) flushHeaders();
  };
  res.write = ((...args: unknown[]) => {
    if (!res.headersSent && held === null && res.statusCode >= 500) held = [res.statusCode];
    if (held === null) return write(...args);
    chunks.push(args.filter((arg) => typeof arg !== "function"));
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (!res.headersSent && held === null && res.statusCode >= 500) held = [res.statusCode];
    if (held === null) return end(...args);
    const [first] = args;
    if (first !== undefined && typeof first !== "function")
      chunks.push(args.filter((arg) => typeof arg !== "function"));
    const heldHead = held;
    void replace()
      .catch(() => null)
      .then((replacement) => {
        if (replacement) {
          for (const name of res.getHeaderNames()) res.removeHeader(name);
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

const server = http.createServer((req, res) => {
  const peer = req.socket.remoteAddress;
  const address = clientAddress({ peer, forwardedFor: req.headers["x-forwarded-for"], trusted });
  // Forwarding headers count only when a trusted proxy wrote them; Next.js then fills in
  // its own from the socket.
  if (!peerIsTrusted(peer, trusted)) for (const name of FORWARDING_HEADERS) delete req.headers[name];
  req.headers[CLIENT_ADDRESS_HEADER] = encodeClientAddressHeader(address, process.env.CLIENT_ADDRESS_PROOF!);

  const isApi = (req.url ?? "").startsWith("/api/");
  let malformedForm = async () => false;
  if (req.method === "POST" && !isApi) {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    // Server actions are posted as forms (or React's text encoding), never as JSON.
    if (req.headers["next-action"] && !FORM_TYPES.includes(type)) {
      sendPlain(res, 400, "Bad request: this form accepts form data only.");
      return;
    }
    if (type === "multipart/form-data") malformedForm = watchMultipartBody(req);
  }

  interceptServerErrors(res, async () => {
    if (await malformedForm()) return BAD_FORM;
    return (await databaseAnswers()) ? null : unavailable(isApi);
  });
  void handle(req, res);
});

server.listen(port, hostname, () => {
  console.log(
    `serve: listening on ${hostname ?? "all interfaces"}:${port}, trusted proxies: ${process.env.TRUSTED_PROXIES || "none"}`,
  );
  // `npm start` says this and more itself (scripts/start-summary.ts).
  if (dev) console.log(`development mode: ${deliveryNotice(env())}`);
  startCleanup();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
