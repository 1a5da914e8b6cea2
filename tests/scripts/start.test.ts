// Property: npm start refuses production without secrets or with bad TRUSTED_PROXIES, and rebuilds whenever the build's sources changed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildState, sourceHash, stampBuild } from "../../scripts/source-hash";

const root = path.resolve(import.meta.dirname, "../..");

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

// An old build served after the code changed: `npm start` rebuilds whenever the files a
// build is made from differ from those of the build it finds.
describe("npm start's build check", () => {
  function project() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "strongsign-hash-"));
    for (const [file, text] of Object.entries({
      "app/page.tsx": "export default function Page() { return null; }",
      "lib/generated/sqlite/index.js": "generated",
      "package.json": "{}",
      "prisma/schema.prisma": "model A { id String @id }",
    })) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const distDir = path.join(root, ".next");
    fs.mkdirSync(distDir);
    return { root, distDir };
  }

  it("builds when there is no build, or one without a stamp", () => {
    const { root, distDir } = project();
    expect(buildState(root, distDir)).toBe("missing");
    fs.writeFileSync(path.join(distDir, "BUILD_ID"), "x");
    expect(buildState(root, distDir)).toBe("missing");
    stampBuild(distDir, sourceHash(root));
    expect(buildState(root, distDir)).toBe("current");
  });

  it("rebuilds after an edit, a new file or a schema change, not after regenerating the client", () => {
    const { root, distDir } = project();
    fs.writeFileSync(path.join(distDir, "BUILD_ID"), "x");
    const stampNow = () => stampBuild(distDir, sourceHash(root));
    stampNow();
    fs.writeFileSync(path.join(root, "lib/generated/sqlite/index.js"), "regenerated");
    expect(buildState(root, distDir)).toBe("current");
    fs.appendFileSync(path.join(root, "app/page.tsx"), "\n// edited, not committed");
    expect(buildState(root, distDir)).toBe("stale");
    stampNow();
    fs.mkdirSync(path.join(root, "public"));
    fs.writeFileSync(path.join(root, "public/robots.txt"), "User-agent: *\nDisallow: /\n");
    expect(buildState(root, distDir)).toBe("stale");
    stampNow();
    fs.appendFileSync(path.join(root, "prisma/schema.prisma"), "\nmodel B { id String @id }");
    expect(buildState(root, distDir)).toBe("stale");
  });
});
