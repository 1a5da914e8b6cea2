import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

// A production server must never come up with development secrets or none at all.
describe("npm start in production", () => {
  it("refuses to start without AUTH_SECRET and ENCRYPTION_KEYS", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      APP_ENV: "",
      AUTH_SECRET: "",
      ENCRYPTION_KEYS: "",
      DATABASE_URL: "file:/nonexistent/never-created.db",
    };
    const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("refusing to start");
    expect(result.stderr).toContain("AUTH_SECRET");
    expect(result.stderr).toContain("ENCRYPTION_KEYS");
  });

  it("refuses a TRUSTED_PROXIES it cannot read before touching the database", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "test",
      APP_ENV: "test",
      TRUSTED_PROXIES: "10.0.0.0/99",
      DATABASE_URL: "file:/nonexistent/never-created.db",
    };
    const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TRUSTED_PROXIES");
    expect(result.stderr).toContain("bad prefix length");
  });
});
