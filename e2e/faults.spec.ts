import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { screenshot } from "./helpers";

// Faults must answer as faults (issue 8): a database out of reach is the service being
// unavailable (503, come back later), not a bug (500) that monitoring files as one and
// that tells a person nothing; and a form post whose body is not a form (JSON, or a
// multipart body cut short by a client or an attacker probing the parser) is the
// client's fault (400). Each of these runs through scripts/serve.ts, the server of
// `npm start`: the broken-database cases on instances of their own, started here.

const root = path.resolve(import.meta.dirname, "..");

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The production server of `npm start` with the e2e settings, on a database URL of our choosing.
async function startServer(databaseUrl: string) {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/serve.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: url,
      DATABASE_URL: databaseUrl,
      TRUSTED_PROXIES: "",
    },
    stdio: ["ignore", "ignore", "pipe"],
    // Its own process group, so that stopping it stops tsx and the server it runs.
    detached: true,
  });
  let errors = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  const stop = () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`serve.ts exited with ${child.exitCode}: ${errors}`);
    const up = await fetch(`${url}/login`, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (up) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`serve.ts did not start on ${url}: ${errors}`);
}

const unreachable = [
  // Nothing listens on port 1.
  { name: "a PostgreSQL server that does not answer", databaseUrl: () => "postgresql://root@127.0.0.1:1/none" },
  // A path under a regular file cannot be created, not even by root.
  {
    name: "a SQLite file that cannot be created",
    databaseUrl: () => {
      const file = test.info().outputPath("a-regular-file");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, "not a directory\n");
      return `file:${path.join(file, "app.db")}`;
    },
  },
];

for (const { name, databaseUrl } of unreachable) {
  test(`with ${name}, pages answer 503 with a retry hint and the API a JSON 503`, async ({ page, playwright }) => {
    test.setTimeout(120_000);
    const server = await startServer(databaseUrl());
    try {
      const request = await playwright.request.newContext({ baseURL: server.url });
      const login = await request.get("/login", { maxRedirects: 0 });
      expect(login.status()).toBe(503);
      expect(Number(login.headers()["retry-after"])).toBeGreaterThan(0);
      expect(login.headers()["content-type"]).toContain("text/html");
      expect(await login.text()).toContain("Please try again in a minute");

      const apiCalls = [
        request.get("/api/v1/me", { headers: { authorization: "Bearer not-a-real-token" } }),
        request.post("/api/v1/auth/sign-in", { data: { email: "someone@acme.test", password: "a password to check" } }),
      ];
      for (const answer of await Promise.all(apiCalls)) {
        expect(answer.status()).toBe(503);
        expect(Number(answer.headers()["retry-after"])).toBeGreaterThan(0);
        expect(answer.headers()["content-type"]).toContain("application/json");
        expect((await answer.json()).error.code).toBe("service_unavailable");
      }
      await request.dispose();

      // What a person sees.
      const shown = await page.goto(`${server.url}/login`);
      expect(shown?.status()).toBe(503);
      await expect(
        page.getByRole("heading", { level: 1, name: "StrongSign is temporarily unavailable" }),
      ).toBeVisible();
      await expect(page.getByText("We can't reach our database right now. Nothing was changed.")).toBeVisible();
      await expect(page.getByRole("link", { name: "reload this page" })).toBeVisible();
      await screenshot(page, `unavailable-${name.includes("SQLite") ? "sqlite" : "postgresql"}`);
    } finally {
      server.stop();
    }
  });
}

// The sign-in form's server action, as the /login page names it to the browser.
async function loginActionId(request: APIRequestContext) {
  const html = await (await request.get("/login")).text();
  const value = /name="\$ACTION_1:0" value="([^"]+)"/.exec(html)?.[1];
  expect(value, "the sign-in form's hidden action field").toBeTruthy();
  const { id } = JSON.parse(value!.replaceAll("&quot;", '"').replaceAll("&amp;", "&")) as { id: string };
  return id;
}

test("a server action fed JSON or a truncated multipart body answers 400, never 500", async ({ request, baseURL }) => {
  const id = await loginActionId(request);
  const headers = { "next-action": id, origin: new URL(baseURL!).origin };

  const json = await request.post("/login", {
    headers: { ...headers, "content-type": "application/json" },
    data: JSON.stringify({ email: "someone@acme.test", password: "x" }),
  });
  expect(json.status()).toBe(400);

  const boundary = "----strongsign-truncated";
  const cut = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="email"',
    "",
    "someone@acme.test",
    `--${boundary}`,
    'Content-Disposition: form-data; name="pass',
  ].join("\r\n");
  const truncated = await request.post("/login", {
    headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` },
    data: cut,
  });
  expect(truncated.status()).toBe(400);

  // Nothing was wrong with the server: the page still answers.
  expect((await request.get("/login")).status()).toBe(200);
});
