import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, type BrowserContext, expect, test } from "@playwright/test";
import { db } from "../lib/platform/db";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";
// @ts-expect-error plain ESM script without types
import { countRows, holdDatabase } from "../tests/hold-database.mjs";
import { OWNER, PASSWORD, screenshot, seedAccount, seedUserWithTotp, signIn } from "./helpers";
import { logLines, startOwnServer } from "./own-server";
import { totp } from "./totp";

// Faults must answer as faults (issues 8 and 16): a database out of reach, or too busy to
// serve in time, is the service being unavailable (503, come back later), not a bug (500)
// that monitoring files as one and that tells a person nothing; and a body a server action
// or route cannot take (JSON where a form belongs, text that is not JSON, an array nested
// past the decoder's recursion, a body over 1 MiB, a multipart body cut short by a client or
// an attacker probing the parser) is the client's fault (400, 413, 415) and changes
// nothing. Each of these runs through scripts/serve.ts, the server of `npm start`: the
// database cases on instances of their own, started here.

const root = path.resolve(import.meta.dirname, "..");

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
    const server = await startOwnServer({ DATABASE_URL: databaseUrl() });
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

test("a server action fed JSON answers 415, a truncated multipart body 400, never 500", async ({
  request,
  baseURL,
}) => {
  const id = await loginActionId(request);
  const headers = { "next-action": id, origin: new URL(baseURL!).origin };

  const json = await request.post("/login", {
    headers: { ...headers, "content-type": "application/json" },
    data: JSON.stringify({ email: "someone@acme.test", password: "x" }),
  });
  expect(json.status()).toBe(415);
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

// Every server action the build has (its server-reference manifest) and every route
// handler in app/, each sent every shape of body a browser never sends. Each answers 4xx
// with a short message and changes nothing, even for a signed-in admin halfway through
// another person's second step, whose cookies go with every request.
function serverActions() {
  const file = path.join(root, process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: `${entry.filename}#${entry.exportedName}`,
    // A page that loads the action: "app/(dashboard)/profile/page" is /profile.
    path: urlOf(Object.keys(entry.workers)[0].replace(/\/page$/, "")),
  }));
}

function urlOf(appPath: string) {
  const segments = appPath
    .split("/")
    .slice(1)
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "not-a-token" : segment));
  return `/${segments.join("/")}`;
}

function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
    );
}

// What the sources declare, to check the build's list against: every exported function of
// a "use server" file, and every route.ts.
function declared() {
  const files = filesUnder(path.join(root, "app"));
  const actions = files
    .filter((file) => file.endsWith(".ts") && fs.readFileSync(file, "utf8").startsWith('"use server"'))
    .flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/^export async function (\w+)/gm)].map(
        (match) => `${path.relative(root, file)}#${match[1]}`,
      ),
    );
  const routes = files
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => ({
      path: urlOf(path.relative(root, path.dirname(file))),
      takesPost: /^export (async )?function POST\b/m.test(fs.readFileSync(file, "utf8")),
      // A route a page's form posts to (lib/platform/form-body.ts) refuses every JSON body with 415.
      takesForm: fs.readFileSync(file, "utf8").includes("readForm(request)"),
    }));
  return { actions, routes };
}

function nestedArray(depth: number) {
  return `${"[".repeat(depth)}0${"]".repeat(depth)}`;
}

const oversized = JSON.stringify(["x".repeat(1_500_000)]);

const actionShapes = [
  {
    name: "a JSON array",
    type: "text/plain;charset=UTF-8",
    body: '[{}, {"kind":"code","code":{"$ne":""}}]',
    status: 400,
  },
  { name: "text that is not JSON", type: "text/plain;charset=UTF-8", body: "this is not JSON", status: 400 },
  { name: "a body over 1 MiB", type: "text/plain;charset=UTF-8", body: oversized, status: 413 },
  { name: "an array nested 5,000 deep", type: "text/plain;charset=UTF-8", body: nestedArray(5000), status: 400 },
  { name: "JSON, a wrong content type", type: "application/json", body: '{"email":"a@b.test"}', status: 415 },
];

const routeShapes = [
  { name: "a JSON array", type: "application/json", body: '[{}, {"code":{"$ne":""}}]', status: 400 },
  { name: "text that is not JSON", type: "application/json", body: "this is not JSON", status: 400 },
  { name: "a body over 1 MiB", type: "application/json", body: oversized, status: 413 },
  { name: "an array nested 5,000 deep", type: "application/json", body: nestedArray(5000), status: 400 },
  { name: "text, a wrong content type", type: "text/plain", body: "{}", status: 415 },
];

async function cookieHeader(...contexts: BrowserContext[]) {
  const cookies = (await Promise.all(contexts.map((context) => context.cookies()))).flat();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

test("every server action and route answers each malformed body with a 4xx and a short message, and changes nothing", async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const { actions: declaredActions, routes } = declared();
  const actions = serverActions();
  // The build is of these sources: no action is left out of the list below.
  expect(actions.map((action) => action.name).sort()).toEqual(declaredActions.sort());
  expect(routes.length).toBeGreaterThanOrEqual(5);

  const account = await seedAccount("Bodies");
  const admin = await seedUserWithTotp({ role: "ADMIN", accountId: account.id });
  const member = await seedUserWithTotp({ accountId: account.id });
  const signedIn = await browser.newContext();
  const adminPage = await signedIn.newPage();
  await signIn(adminPage, admin.user.email, PASSWORD);
  await adminPage.getByLabel("Authentication code").fill(totp(admin.secret));
  await adminPage.getByRole("button", { name: "Verify" }).click();
  await expect(adminPage).toHaveURL(/\/profile/);
  const halfway = await browser.newContext();
  const memberPage = await halfway.newPage();
  await signIn(memberPage, member.user.email, PASSWORD);
  await expect(memberPage.getByLabel("Authentication code")).toBeVisible();
  const cookie = await cookieHeader(signedIn, halfway);
  const origin = new URL(baseURL!).origin;

  const ids = [admin.user.id, member.user.id];
  const state = async () => ({
    users: await db.user.findMany({ where: { accountId: account.id }, orderBy: { id: "asc" } }),
    sessions: await db.session.findMany({ where: { userId: { in: ids } }, orderBy: { id: "asc" } }),
    challenges: await db.loginChallenge.findMany({ where: { userId: { in: ids } }, orderBy: { id: "asc" } }),
    passkeyChallenges: await db.webAuthnChallenge.count({ where: { userId: { in: ids } } }),
    audit: await db.auditEvent.count({ where: { accountId: account.id } }),
    messages: await db.outboundMessage.count({ where: { to: { in: [admin.user.email, member.user.email] } } }),
    tokens: await db.accessToken.count({ where: { userId: { in: ids } } }),
  });
  const before = await state();

  const expectShortAnswer = async (
    what: string,
    answer: Awaited<ReturnType<APIRequestContext["post"]>>,
    status: number,
  ) => {
    const text = await answer.text();
    expect(answer.status(), what).toBe(status);
    expect(text.length, `${what}: ${text.slice(0, 80)}`).toBeGreaterThan(10);
    expect(text.length, `${what}: ${text.slice(0, 80)}`).toBeLessThan(200);
  };

  for (const action of actions) {
    for (const shape of actionShapes) {
      const answer = await request.post(action.path, {
        headers: { "next-action": action.id, "content-type": shape.type, origin, cookie, accept: "text/x-component" },
        data: shape.body,
        maxRedirects: 0,
      });
      await expectShortAnswer(`${action.name} sent ${shape.name}`, answer, shape.status);
    }
  }
  for (const route of routes) {
    for (const shape of routeShapes) {
      const answer = await request.post(route.path, {
        headers: { "content-type": shape.type, origin, cookie },
        data: shape.body,
        maxRedirects: 0,
      });
      const status =
        !route.takesPost && shape.status !== 413 ? 405 : route.takesForm && shape.status === 400 ? 415 : shape.status;
      await expectShortAnswer(`POST ${route.path} sent ${shape.name}`, answer, status);
    }
  }

  // A form route sent a form that is not one: refused, and nothing changes either.
  for (const route of routes.filter((route) => route.takesForm)) {
    const answer = await request.post(route.path, {
      headers: { "content-type": "multipart/form-data; boundary=nothing-follows", origin, cookie },
      data: "--not-the-boundary\r\n\r\n",
      maxRedirects: 0,
    });
    await expectShortAnswer(`POST ${route.path} sent a broken multipart body`, answer, 400);
  }

  expect(await state()).toEqual(before);
  // And the people it was all sent as carry on as before.
  await memberPage.getByLabel("Authentication code").fill(totp(member.secret));
  await memberPage.getByRole("button", { name: "Verify" }).click();
  await expect(memberPage).toHaveURL(/\/profile/);
  await adminPage.goto("/profile");
  await expect(adminPage.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  await signedIn.close();
  await halfway.close();
});

test("a database too busy to serve in time answers 503 with Retry-After, and nothing is half-written", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const database = await freshDatabase({
    server: process.env.E2E_DATABASE_SERVER,
    name: `busy_${process.env.E2E_RUN_ID}_${test.info().workerIndex}`,
  });
  const server = await startOwnServer({ DATABASE_URL: database.url });
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  try {
    const page = await mine.newPage();
    await page.goto(`${server.url}/setup`);
    await page.getByLabel("Organisation name").fill(OWNER.account);
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
    await page.getByLabel("Confirm password").fill(OWNER.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/profile/);
    const other = await theirs.newPage();
    await other.goto(`${server.url}/login`);
    await other.getByLabel("Email").fill(OWNER.email);
    await other.getByLabel("Password").fill(OWNER.password);
    await other.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(other).toHaveURL(/\/profile/);
    await page.reload();
    await expect(page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(2);
    const sessions = () => countRows(database.url, 'SELECT COUNT(*) FROM "Session"');
    const revoked = () =>
      countRows(database.url, `SELECT COUNT(*) FROM "AuditEvent" WHERE "type" = 'session.others_revoked'`);

    const release = await holdDatabase(database.url);
    let answer: Awaited<ReturnType<typeof page.waitForResponse>>;
    try {
      const posted = page.waitForResponse((response) => response.request().method() === "POST", { timeout: 60_000 });
      await page.getByRole("button", { name: "Sign out of all other sessions" }).click();
      answer = await posted;
    } finally {
      await release();
    }
    expect(answer.status()).toBe(503);
    expect(Number(answer.headers()["retry-after"])).toBeGreaterThan(0);
    const busyLines = () =>
      logLines(server.output()).filter((line) => line.requestId === answer.headers()["x-request-id"]);
    await expect
      .poll(busyLines)
      .toEqual([
        expect.objectContaining({ status: 503, route: "/profile", reason: "the database could not serve it in time" }),
      ]);
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
    await expect(page.getByText("Nothing was changed.")).toBeVisible();
    await screenshot(page, `busy-${database.url.startsWith("file:") ? "sqlite" : "postgresql"}`);
    expect(await sessions()).toBe(2);
    expect(await revoked()).toBe(0);

    // A form posted as a page (without JavaScript) gets the page saying so.
    const revoke = serverActions().find((action) => action.name.endsWith("#revokeOtherSessionsAction"))!;
    const releaseAgain = await holdDatabase(database.url);
    let busyPage: Awaited<ReturnType<typeof page.request.post>>;
    try {
      busyPage = await mine.request.post(`${server.url}/profile`, {
        headers: { origin: server.url },
        multipart: { [`$ACTION_ID_${revoke.id}`]: "" },
        timeout: 60_000,
      });
    } finally {
      await releaseAgain();
    }
    expect(busyPage.status()).toBe(503);
    expect(Number(busyPage.headers()["retry-after"])).toBeGreaterThan(0);
    await page.setContent(await busyPage.text());
    await expect(page.getByRole("heading", { name: "StrongSign is too busy right now" })).toBeVisible();
    await expect(page.getByText("We couldn't get to your request in time.")).toBeVisible();
    await screenshot(page, `busy-page-${database.url.startsWith("file:") ? "sqlite" : "postgresql"}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "busy-page-phone");
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await sessions()).toBe(2);
    expect(await revoked()).toBe(0);

    // Once the database is free, the same click does it.
    await page.goto(`${server.url}/profile`);
    await page.getByRole("button", { name: "Sign out of all other sessions" }).click();
    await expect(page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);
    expect(await sessions()).toBe(1);
    expect(await revoked()).toBe(1);

    // A refused body is one line in the log, nothing more.
    const login = serverActions().find((action) => action.name.endsWith("#loginAction"))!;
    const refused = await page.context().request.post(`${server.url}/login`, {
      headers: { "next-action": login.id, "content-type": "text/plain;charset=UTF-8", origin: server.url },
      data: nestedArray(5000),
    });
    expect(refused.status()).toBe(400);
    const reason = "Bad request: the body is not a server action's arguments.";
    const refusedLines = () =>
      logLines(server.output()).filter((line) => line.requestId === refused.headers()["x-request-id"]);
    await expect
      .poll(refusedLines)
      .toEqual([expect.objectContaining({ level: "warn", method: "POST", route: "/login", status: 400, reason })]);
  } finally {
    await mine.close();
    await theirs.close();
    server.stop();
    await database.drop();
  }
});
