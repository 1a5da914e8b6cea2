import crypto from "node:crypto";
import type http from "node:http";
import { clientAddress, type TrustedProxies } from "./client-address";
import { logger, type RequestContext, requestContext } from "./logger";
import { requestDuration, serveMetrics } from "./metrics";

// One line and one observation per request, for scripts/serve.ts (README "Logs" and
// "Metrics"). Each request gets an id, sent back as X-Request-Id and carried by every
// line written while it is served.

export const REQUEST_ID_HEADER = "x-request-id";

// Pages whose last segment is a secret: the single-use links of emails
// (docs/security-model.md). The log shows ":token" in its place.
const SECRET_IN_PATH = /^(\/(?:reset-password|invite|confirm-email|login\/trust))\/[^/]+/i;

// The path a log line shows: never the query, which may carry a token, nor a link's token.
export function loggedRoute(url: string | undefined) {
  const path = (url ?? "/").split(/[?#]/, 1)[0] || "/";
  return path.replace(SECRET_IN_PATH, "$1/:token").slice(0, 200);
}

const GROUPS: [RegExp, string][] = [
  [/^\/(healthz|readyz|metrics)$/, "ops"],
  [/^\/api\//, "api"],
  [/^\/(_next\/|favicon\.svg$|robots\.txt$)/, "static"],
  [/^\/(login|setup|reset-password|invite|confirm-email)(\/|$)/, "login"],
  [/^\/profile(\/|$)/, "profile"],
  [/^\/account(\/|$)/, "account"],
];

// A handful of groups, so that the histogram's series stay few whatever the paths.
export function routeGroup(route: string) {
  return GROUPS.find(([pattern]) => pattern.test(route))?.[1] ?? "other";
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

// Why serve.ts answered a request itself (a refused body, a database too busy): the
// request's line says so.
export function noteAnswerReason(reason: string) {
  const context = requestContext.getStore();
  if (context) context.reason = reason;
}

// Wraps serve.ts's request handler: answers GET /metrics, and logs and measures every
// request. Health checks and scrapes that succeed are not logged: they come every few
// seconds. The address is decided by the same rule as the app's
// (lib/platform/client-address.ts), before serve.ts drops forwarding headers.
export function withObservability(
  trusted: TrustedProxies,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    const context: RequestContext = { requestId: crypto.randomUUID() };
    const client = clientAddress({
      peer: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trusted,
    });
    const method = req.method ?? "GET";
    const route = loggedRoute(req.url);
    res.setHeader(REQUEST_ID_HEADER, context.requestId);
    res.on("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      const group = routeGroup(route);
      const labels = { route_group: group, method: METHODS.includes(method) ? method : "other" };
      requestDuration.observe({ ...labels, status_class: `${Math.floor(status / 100)}xx` }, seconds);
      if (group === "ops" && status < 400) return;
      const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
      const line = {
        requestId: context.requestId,
        method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        client,
        ...(res.writableFinished ? {} : { aborted: true }),
        ...(context.reason ? { reason: context.reason } : {}),
      };
      logger[level](line, "request");
    });
    requestContext.run(context, () => serveMetrics(req, res) || handler(req, res));
  };
}
