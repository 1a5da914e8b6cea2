import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { z } from "zod";

// The one logger (README "Logs"): JSON lines on standard output, one per request
// (lib/platform/request-log.ts) and one per notable event (lib/platform/observe.ts).
// Nothing here reads lib/platform/env.ts, so that a bad environment can still be logged.

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
export const logFormat = z.enum(["json", "pretty"]);

// What a log line must never show, whatever object it was handed: codes, tokens, links,
// passwords, cookies and authorization headers (docs/security-model.md). Redaction is the
// logger's own, so it also covers a field someone adds later by mistake.
const SECRET_KEYS = [
  "password",
  "code",
  "codes",
  "token",
  "sessionToken",
  "challengeToken",
  "secret",
  "link",
  "url",
  "cookie",
  "authorization",
];
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
];

export function createLogger(
  options: { level: z.infer<typeof logLevel>; format: z.infer<typeof logFormat> },
  destination?: DestinationStream,
): Logger {
  const stream = destination ?? (options.format === "pretty" ? pretty({ sync: true }) : pino.destination(1));
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The request a line was written for (scripts/serve.ts gives each its id).
      mixin: () => {
        const requestId = requestContext.getStore()?.requestId;
        return requestId ? { requestId } : {};
      },
    },
    stream,
  );
}

// serve.ts and the app's bundle each load their own copy of this module into the one
// process (as lib/platform/request-outcome.ts explains): both hang on one logger and one
// request context, so that lines do not interleave and the app's lines carry the id.
const holder = globalThis as unknown as {
  __logger?: Logger;
  __requestContext?: AsyncLocalStorage<RequestContext>;
};

export type RequestContext = { requestId: string; reason?: string };
holder.__requestContext ??= new AsyncLocalStorage<RequestContext>();
export const requestContext = holder.__requestContext;

holder.__logger ??= createLogger({
  level: logLevel.catch("info").parse(process.env.LOG_LEVEL || "info"),
  format: logFormat.catch("json").parse(process.env.LOG_FORMAT || "json"),
});
export const logger = holder.__logger;
