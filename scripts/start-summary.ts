// What `npm start` and `npm run dev` say when they start: which secrets, where emails and
// texts go, which database, which address. Never a secret's value, nor a database
// password: this line ends up in terminals, logs and bug reports.
import path from "node:path";
import { devSecretsFile, type Env } from "../lib/platform/env";

type Settings = Pick<
  Env,
  | "APP_ENV"
  | "APP_URL"
  | "DATABASE_URL"
  | "HOST"
  | "RESEND_API_KEY"
  | "TWILIO_ACCOUNT_SID"
  | "TWILIO_AUTH_TOKEN"
  | "TWILIO_FROM"
  | "TWILIO_BASE_URL"
>;

// Where emails and texts go. Without a provider they stay in the local outbox, which
// outside production only this machine can read (lib/messages/outbox.ts, outboxOpenTo).
export function deliveryNotice(settings: Settings): string {
  const twilio = settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN && settings.TWILIO_FROM;
  const channels = [
    { name: "emails", provider: settings.RESEND_API_KEY ? "Resend" : null, setting: "RESEND_API_KEY" },
    { name: "texts", provider: twilio ? new URL(settings.TWILIO_BASE_URL).host : null, setting: "TWILIO_*" },
  ];
  const sent = channels.filter((c) => c.provider).map((c) => `${c.name} through ${c.provider}`);
  const kept = channels.filter((c) => !c.provider);
  if (kept.length === 0) return sent.join(", ");
  const names = kept.map((c) => c.name).join(" and ");
  const where =
    settings.APP_ENV === "production"
      ? `${names} are only recorded, not sent (no ${kept.map((c) => c.setting).join(", no ")}): /dev/outbox is off in production`
      : `${names} are kept in /dev/outbox, readable only from this machine`;
  return [...sent, where].join("; ");
}

function secretsSource(source: Record<string, string | undefined>, root: string) {
  const file = path.relative(root, devSecretsFile);
  const fromEnv = ["AUTH_SECRET", "ENCRYPTION_KEYS"].filter((name) => source[name]);
  if (fromEnv.length === 2) return "secrets from the environment";
  if (fromEnv.length === 0) return `development secrets from ${file}`;
  const fromFile = fromEnv[0] === "AUTH_SECRET" ? "ENCRYPTION_KEYS" : "AUTH_SECRET";
  return `${fromEnv[0]} from the environment and ${fromFile} from ${file}`;
}

// "SQLite .data/app.db" or "PostgreSQL db.internal:5432/strongsign": no user, password
// or parameters, which may carry a password too.
function databaseName(url: string, root: string) {
  if (url.startsWith("file:")) return `SQLite ${path.relative(root, path.resolve(root, url.slice("file:".length)))}`;
  const parsed = new URL(url);
  return `PostgreSQL ${parsed.host}${parsed.pathname}`;
}

export function startSummary(options: {
  settings: Settings;
  source: Record<string, string | undefined>;
  root: string;
  port: number;
}) {
  const { settings, root } = options;
  const listening = settings.HOST
    ? `listening on ${settings.HOST}:${options.port}`
    : `listening on every interface, port ${options.port}`;
  return [
    settings.APP_ENV === "production"
      ? "production build in production mode, with secrets from the environment"
      : `production build with ${secretsSource(options.source, root)}`,
    deliveryNotice(settings),
    `database ${databaseName(settings.DATABASE_URL, root)}`,
    `${listening}, open ${settings.APP_URL}`,
  ].join("; ");
}
