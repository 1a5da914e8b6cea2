import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";
import { seedUserWithTotp, signIn } from "./helpers";
import { startOwnServer } from "./own-server";
import { totp } from "./totp";

// README "Backup and restore": `npm run backup` copies the database of a running instance
// (this run's server, which other journeys keep writing to), `npm run restore` puts the copy
// into an empty database, and an instance started there with the same keys signs in the
// same person with the same authenticator app.

const root = path.resolve(import.meta.dirname, "..");
const postgresServer = process.env.E2E_DATABASE_SERVER;
const onPostgres = Boolean(postgresServer && !postgresServer.startsWith("file:"));

function npmRun(command: "backup" | "restore", file: string, databaseUrl: string) {
  return spawnSync("npm", ["run", "-s", command, "--", file], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
}

// A database with nothing in it: a file not yet there, or a new database on the server.
async function emptyDatabase(temp: string) {
  if (!onPostgres) return { url: `file:${path.join(temp, "restored", "app.db")}`, drop: async () => {} };
  const name = `strongsign_restore_${crypto.randomBytes(4).toString("hex")}`;
  await db.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  return {
    url: Object.assign(new URL(postgresServer!), { pathname: `/${name}` }).toString(),
    drop: () => db.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

test("a backup of the running instance restores into an empty database, where the same app code signs in", async ({
  browser,
}) => {
  const { user, secret } = await seedUserWithTotp();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "strongsign-backup-"));
  const file = path.join(temp, onPostgres ? "strongsign.dump" : "strongsign.db");
  const target = await emptyDatabase(temp);
  let restored: Awaited<ReturnType<typeof startOwnServer>> | undefined;
  try {
    const backup = npmRun("backup", file, process.env.DATABASE_URL!);
    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain(`copied to ${file}`);
    expect(backup.stdout).toContain("It does not hold ENCRYPTION_KEYS or AUTH_SECRET");
    // Never overwritten: a second backup to the same name is refused and leaves the first.
    const size = fs.statSync(file).size;
    expect(npmRun("backup", file, process.env.DATABASE_URL!).status).toBe(1);
    expect(fs.statSync(file).size).toBe(size);

    const restore = npmRun("restore", file, target.url);
    expect(restore.stderr).toBe("");
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain(`${file} restored into`);

    // Same AUTH_SECRET and ENCRYPTION_KEYS as this run's server: the sealed TOTP secret opens.
    restored = await startOwnServer({ DATABASE_URL: target.url });
    expect((await fetch(`http://127.0.0.1:${restored.port}/readyz`)).status).toBe(200);
    const context = await browser.newContext({ baseURL: restored.url });
    const page = await context.newPage();
    await signIn(page, user.email);
    await page.getByLabel("Authentication code").fill(totp(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/profile/);
    await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
    await context.close();
  } finally {
    restored?.stop();
    await target.drop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
});

test("restore refuses a database that is not empty and leaves it as it was", async () => {
  const { user } = await seedUserWithTotp();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "strongsign-backup-"));
  const file = path.join(temp, "strongsign.backup");
  // Migrated but without a row: its tables would clash with the copy's.
  const migrated = await freshDatabase({
    server: postgresServer,
    name: `restore_${crypto.randomBytes(4).toString("hex")}`,
  });
  try {
    expect(npmRun("backup", file, process.env.DATABASE_URL!).status).toBe(0);
    const users = await db.user.count();
    for (const url of [process.env.DATABASE_URL!, migrated.url]) {
      const refused = npmRun("restore", file, url);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("restore: refusing to restore into");
      expect(refused.stderr).toContain("it is not empty");
      expect(refused.stderr).toContain("migrations applied");
      expect(refused.stdout).not.toContain("restored into");
    }
    expect(await db.user.count()).toBeGreaterThanOrEqual(users);
    expect(await db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  } finally {
    await migrated.drop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
});
