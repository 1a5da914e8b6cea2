// Property: npm start's summary tells truly where secrets, messages and the database come from, and never prints a secret or a password.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv as parseProcessEnv } from "@/lib/platform/env";
import { deliveryNotice, startSummary } from "../../scripts/start-summary";

// What `npm start` says it serves: the truth about a production build run with
// development secrets and a local outbox (not "development mode"), and never a secret,
// since this line is copied into logs and bug reports.

const root = path.resolve(import.meta.dirname, "../..");
// The variables a test sets; the rest of the process's environment stays out.
const parseEnv = (vars: Record<string, string>) => parseProcessEnv(vars as NodeJS.ProcessEnv);
const AUTH_SECRET = "auth-secret-that-must-never-be-printed-0123456789";
const KEY = Buffer.alloc(32, 7).toString("base64");

function summary(source: Record<string, string>, port = 3000) {
  return startSummary({ settings: parseEnv({ PORT: String(port), ...source }), source, root, port });
}

describe("npm start's summary", () => {
  it("names the development secrets file, the outbox, the database and the address", () => {
    const text = summary({ APP_ENV: "development", DATABASE_URL: `file:${root}/.data/app.db` });
    const secrets = path.relative(root, path.join(process.env.PROJECT_ROOT ?? process.cwd(), ".data/dev-secrets.json"));
    expect(text).toBe(
      `production build with development secrets from ${secrets}; ` +
        "emails and texts are kept in /dev/outbox, readable only from this machine; " +
        "database SQLite .data/app.db; listening on 127.0.0.1:3000, open http://localhost:3000",
    );
    expect(text).not.toContain("development mode");
  });

  it("says which secrets come from the environment, and never their values", () => {
    const source = { APP_ENV: "development", AUTH_SECRET, ENCRYPTION_KEYS: `k1:${KEY}` };
    const both = summary(source);
    expect(both).toContain("production build with secrets from the environment;");
    const mixed = summary({ APP_ENV: "development", AUTH_SECRET });
    expect(mixed).toMatch(/AUTH_SECRET from the environment and ENCRYPTION_KEYS from .*dev-secrets\.json/);
    for (const text of [both, mixed]) {
      expect(text).not.toContain(AUTH_SECRET);
      expect(text).not.toContain(KEY);
    }
  });

  it("prints a PostgreSQL database without its user, password or parameters", () => {
    const text = summary(
      {
        APP_ENV: "production",
        AUTH_SECRET,
        ENCRYPTION_KEYS: `k1:${KEY}`,
        APP_URL: "https://sign.example.com",
        DATABASE_URL: "postgresql://app:hunter2-db-password@db.internal:5432/strongsign?password=also-secret",
        RESEND_API_KEY: "re_live_secret_key",
        TWILIO_ACCOUNT_SID: "AC0123",
        TWILIO_AUTH_TOKEN: "twilio-secret-token",
        TWILIO_FROM: "+15005550006",
      },
      8080,
    );
    expect(text).toBe(
      "production build in production mode, with secrets from the environment; " +
        "emails through Resend, texts through api.twilio.com; database PostgreSQL db.internal:5432/strongsign; " +
        "listening on every interface, port 8080, open https://sign.example.com",
    );
    for (const secret of ["hunter2", "also-secret", "app:", "re_live", "twilio-secret", AUTH_SECRET, KEY])
      expect(text).not.toContain(secret);
  });

  it("says where messages go when a provider is missing", () => {
    const development = parseEnv({ APP_ENV: "development", RESEND_API_KEY: "re_x" });
    expect(deliveryNotice(development)).toBe(
      "emails through Resend; texts are kept in /dev/outbox, readable only from this machine",
    );
    const production = parseEnv({
      APP_ENV: "production",
      AUTH_SECRET,
      ENCRYPTION_KEYS: `k1:${KEY}`,
      APP_URL: "https://sign.example.com",
    });
    expect(deliveryNotice(production)).toBe(
      "emails and texts are only recorded, not sent (no RESEND_API_KEY, no TWILIO_*): /dev/outbox is off in production",
    );
  });
});
