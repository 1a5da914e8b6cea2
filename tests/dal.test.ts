// Property: the guards send the signed-out to sign in, members from admin pages, overdue users to enrolment, and ask the password again after 15 min.
import { describe, expect, it, vi } from "vitest";
import { decideAccess, getCurrentSession, getRequestInfo, requireAdmin, requireSudo, requireUser } from "@/dal";
import { db } from "@/lib/platform/db";
import { createSession, findSession, markSudo } from "@/lib/sessions/sessions";
import { confirmPassword } from "@/lib/sessions/sudo";
import { createUser, request, TEST_PASSWORD } from "./factories";

// The outside world of a request: the headers the browser sent, its session cookie among
// them. Auth.js, the database and the guards behind them are the real ones. server-only
// refuses to load outside Next's server bundle, which is what it is for.
let incoming = new Headers();
vi.mock("server-only", () => ({}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => incoming,
}));

// A new request from a browser over plain HTTP, holding this session token if any.
function browserRequest(token?: string) {
  incoming = new Headers({
    host: "localhost:3000",
    "x-forwarded-proto": "http",
    "user-agent": "dal test",
    ...(token ? { cookie: `authjs.session-token=${token}` } : {}),
  });
}

// Where a guard sent the request: Next's redirect() throws an error whose digest holds
// the address ("NEXT_REDIRECT;replace;/login;307;").
async function redirectOf(guard: Promise<unknown>) {
  const error = await guard.then(
    () => new Error("the guard let the request through"),
    (thrown: unknown) => thrown,
  );
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT;")) throw error;
  return digest.split(";")[2];
}

async function signedIn(role: "OWNER" | "ADMIN" | "MEMBER" = "MEMBER") {
  const user = await createUser({ role });
  const { token, session } = await createSession(db, { userId: user.id, request });
  const row = async () => (await findSession({ id: session.id }))!;
  return { user, token, session, row };
}

async function pastTheDeadline(accountId: string, requirement: "any method" | "passkey") {
  const since = new Date(Date.now() - 60_000);
  await db.account.update({
    where: { id: accountId },
    data:
      requirement === "passkey"
        ? { requirePasskey: "everyone", requirePasskeySince: since, enforceGraceDays: 0 }
        : { enforceTwoFactor: true, enforceSince: since, enforceGraceDays: 0 },
  });
}

const enrollment = "/profile/two-factor/setup?required=1";

describe("what the guards decide", () => {
  it("sends a request without a session to sign in, whatever it asks for", () => {
    for (const need of [{}, { admin: true }, { sudo: true }, { duringEnrollment: true }])
      expect(decideAccess(null, need)).toEqual({ allowed: false, redirectTo: "/login" });
  });

  it("lets a member through, but not into the administrators' pages", async () => {
    const member = await (await signedIn("MEMBER")).row();
    expect(decideAccess(member, {})).toEqual({ allowed: true });
    expect(decideAccess(member, { admin: true })).toEqual({ allowed: false, redirectTo: "/profile?denied=account" });
    for (const role of ["OWNER", "ADMIN"] as const)
      expect(decideAccess(await (await signedIn(role)).row(), { admin: true })).toEqual({ allowed: true });
  });

  it("sends a user past the account's 2FA deadline to enrollment from everywhere but enrollment", async () => {
    const { user, row } = await signedIn("ADMIN");
    await pastTheDeadline(user.accountId, "any method");
    const overdue = await row();
    for (const need of [{}, { admin: true }, { sudo: true }])
      expect(decideAccess(overdue, need)).toEqual({ allowed: false, redirectTo: enrollment });
    expect(decideAccess(overdue, { duringEnrollment: true })).toEqual({ allowed: true });
    expect(decideAccess(overdue, {}, new Date(Date.now() - 120_000))).toEqual({ allowed: true });

    const other = await signedIn();
    await pastTheDeadline(other.user.accountId, "passkey");
    expect(decideAccess(await other.row(), {})).toEqual({
      allowed: false,
      redirectTo: `${enrollment}&method=passkey`,
    });
  });

  it("asks for the password again unless it was given in this session in the last 15 minutes", async () => {
    const { session, row } = await signedIn();
    expect(decideAccess(await row(), { sudo: true })).toEqual({ allowed: false, password: true });
    const given = new Date();
    await markSudo(session.id, given);
    const sudo = await row();
    expect(decideAccess(sudo, { sudo: true })).toEqual({ allowed: true });
    expect(decideAccess(sudo, { sudo: true }, new Date(given.getTime() + 15 * 60_000))).toEqual({
      allowed: false,
      password: true,
    });
  });
});

describe("the guards, on a request with a real session cookie", () => {
  it("know the signed-in user, and hand out neither the token's hash nor the password's", async () => {
    const { user, token, session } = await signedIn();
    browserRequest(token);
    const current = await getCurrentSession();
    expect(current).toMatchObject({ id: session.id, userId: user.id, user: { email: user.email } });
    expect(current).not.toHaveProperty("tokenHash");
    expect(current?.user).not.toHaveProperty("passwordHash");
    expect((await requireUser()).id).toBe(session.id);
  });

  it("send a browser without a live session to sign in", async () => {
    browserRequest();
    expect(await getCurrentSession()).toBeNull();
    expect(await redirectOf(requireUser())).toBe("/login");
    browserRequest("a-token-nobody-was-given");
    expect(await redirectOf(requireUser())).toBe("/login");

    const revoked = await signedIn();
    await db.session.delete({ where: { id: revoked.session.id } });
    browserRequest(revoked.token);
    expect(await redirectOf(requireUser())).toBe("/login");

    const disabled = await signedIn();
    await db.user.update({ where: { id: disabled.user.id }, data: { disabledAt: new Date() } });
    browserRequest(disabled.token);
    expect(await getCurrentSession()).toBeNull();
    expect(await redirectOf(requireUser({ duringEnrollment: true }))).toBe("/login");
  });

  it("keep the administrators' pages to administrators", async () => {
    const member = await signedIn("MEMBER");
    browserRequest(member.token);
    expect(await redirectOf(requireAdmin())).toBe("/profile?denied=account");
    const admin = await signedIn("ADMIN");
    browserRequest(admin.token);
    expect((await requireAdmin()).userId).toBe(admin.user.id);
  });

  it("send a user past the 2FA deadline to enrollment, except on the enrollment pages", async () => {
    const { user, token, session } = await signedIn();
    await pastTheDeadline(user.accountId, "any method");
    browserRequest(token);
    expect(await redirectOf(requireUser())).toBe(enrollment);
    expect(await redirectOf(requireSudo({ redirectTo: "/profile/confirm-password" }))).toBe(enrollment);
    expect((await requireUser({ duringEnrollment: true })).id).toBe(session.id);
  });

  it("ask for the password again: an action gets null, a page is sent to the password step", async () => {
    const { user, token, session } = await signedIn();
    browserRequest(token);
    expect(await requireSudo()).toBeNull();
    expect(await redirectOf(requireSudo({ redirectTo: "/profile/confirm-password?next=/profile/email" }))).toBe(
      "/profile/confirm-password?next=/profile/email",
    );

    const confirmed = await confirmPassword({
      userId: user.id,
      sessionId: session.id,
      password: TEST_PASSWORD,
      request,
    });
    expect(confirmed).toEqual({ ok: true });
    browserRequest(token);
    expect((await requireSudo())?.id).toBe(session.id);
    expect((await requireSudo({ redirectTo: "/profile/confirm-password" })).id).toBe(session.id);
  });

  it("tell who is asking from where, never believing an address the client claims", async () => {
    browserRequest();
    incoming.set("x-forwarded-for", "192.0.2.1");
    expect(await getRequestInfo()).toEqual({ ip: "unknown", userAgent: "dal test" });
  });
});
