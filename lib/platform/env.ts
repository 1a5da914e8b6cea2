import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "./client-address";
import { logFormat, logLevel } from "./logger";

// The environment, validated once. Production (NODE_ENV=production given to `npm start`,
// passed on as APP_ENV because `next start` always sets NODE_ENV) refuses to run without
// its secrets; development generates them once and keeps them in .data/.

type EncryptionKey = { id: string; key: Buffer };

const keyList = z.string().transform((value, ctx) => {
  const keys = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): EncryptionKey | null => {
      const [id, material] = entry.split(":");
      const key = material ? Buffer.from(material, "base64") : Buffer.alloc(0);
      if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
        ctx.addIssue({ code: "custom", message: "each entry must be ID:BASE64 of exactly 32 bytes" });
        return null;
      }
      return { id, key };
    });
  if (keys.length === 0) ctx.addIssue({ code: "custom", message: "at least one key is required" });
  return keys.filter((k): k is EncryptionKey => k !== null);
});

const schema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]),
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgresql://"),
  APP_URL: z.url(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  ENCRYPTION_KEYS: keyList,
  MAIL_FROM: z.string().min(3),
  RESEND_API_KEY: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_BASE_URL: z.url(),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000),
  // The first retry of a failed audit stream delivery (lib/audit/stream-delivery.ts).
  AUDIT_STREAM_RETRY_BASE_MS: z.coerce.number().int().min(100).max(3_600_000),
  // The address the server binds (scripts/serve.ts); unset means every interface.
  HOST: z.string().optional(),
  // Checked here so that `npm start` refuses a bad value before it migrates or builds.
  TRUSTED_PROXIES: z.string().transform((value, context) => {
    try {
      return parseTrustedProxies(value);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message.replace(/^TRUSTED_PROXIES: /, "") });
      return z.NEVER;
    }
  }),
  // README "Metrics": unset, /metrics does not exist. Long enough not to be guessed.
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // Read by lib/platform/logger.ts itself; checked here so that a typo stops the start.
  LOG_LEVEL: logLevel,
  LOG_FORMAT: logFormat,
});

export type Env = z.infer<typeof schema>;

const projectRoot = process.env.PROJECT_ROOT ?? process.cwd();
const defaultDatabaseUrl = `file:${path.join(projectRoot, ".data", "app.db")}`;
export const devSecretsFile = path.join(projectRoot, ".data", "dev-secrets.json");

function appEnv(): Env["APP_ENV"] {
  const explicit = process.env.APP_ENV;
  if (explicit === "development" || explicit === "test" || explicit === "production") return explicit;
  return process.env.NODE_ENV === "production" ? "production" : "development";
}

type DevSecrets = { AUTH_SECRET: string; ENCRYPTION_KEYS: string };

// Generated once per checkout so that sessions and encrypted secrets survive restarts.
function loadDevSecrets(): DevSecrets {
  if (fs.existsSync(devSecretsFile)) return JSON.parse(fs.readFileSync(devSecretsFile, "utf8")) as DevSecrets;
  const secrets: DevSecrets = {
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: `dev1:${crypto.randomBytes(32).toString("base64")}`,
  };
  fs.mkdirSync(path.dirname(devSecretsFile), { recursive: true });
  try {
    fs.writeFileSync(devSecretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
    return secrets;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return JSON.parse(fs.readFileSync(devSecretsFile, "utf8")) as DevSecrets;
    throw error;
  }
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const mode = source.APP_ENV ? (source.APP_ENV as Env["APP_ENV"]) : appEnv();
  const production = mode === "production";
  const dev = production || (source.AUTH_SECRET && source.ENCRYPTION_KEYS) ? null : loadDevSecrets();
  const result = schema.safeParse({
    APP_ENV: mode,
    DATABASE_URL: source.DATABASE_URL || defaultDatabaseUrl,
    APP_URL: source.APP_URL || `http://localhost:${source.PORT || 3000}`,
    AUTH_SECRET: source.AUTH_SECRET || dev?.AUTH_SECRET,
    ENCRYPTION_KEYS: source.ENCRYPTION_KEYS || dev?.ENCRYPTION_KEYS,
    MAIL_FROM: source.MAIL_FROM || "StrongSign <no-reply@strongsign.local>",
    RESEND_API_KEY: source.RESEND_API_KEY || undefined,
    TWILIO_ACCOUNT_SID: source.TWILIO_ACCOUNT_SID || undefined,
    TWILIO_AUTH_TOKEN: source.TWILIO_AUTH_TOKEN || undefined,
    TWILIO_FROM: source.TWILIO_FROM || undefined,
    TWILIO_BASE_URL: source.TWILIO_BASE_URL || "https://api.twilio.com",
    SMS_TIMEOUT_MS: source.SMS_TIMEOUT_MS || 5000,
    AUDIT_STREAM_RETRY_BASE_MS: source.AUDIT_STREAM_RETRY_BASE_MS || 10_000,
    // HOST first: Docker sets HOSTNAME to the container's name, HOST is set on purpose.
    // Outside production only this machine is served by default: development mode has
    // the outbox of live codes (app/dev/outbox) and secrets anyone with the checkout has.
    HOST: source.HOST || source.HOSTNAME || (production ? undefined : "127.0.0.1"),
    TRUSTED_PROXIES: source.TRUSTED_PROXIES ?? "",
    METRICS_TOKEN: source.METRICS_TOKEN || undefined,
    LOG_LEVEL: source.LOG_LEVEL || "info",
    LOG_FORMAT: source.LOG_FORMAT || "json",
  });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new Error(`Invalid environment (${mode}):\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
