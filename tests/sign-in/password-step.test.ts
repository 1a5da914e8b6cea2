// Property: a right password yields a challenge that yields one session; a password change ends the others; first-run setup runs once.
import { describe, expect, it } from "vitest";
import { createFirstAccount, isSetupOpen } from "@/lib/account/first-run";
import { methodFacts } from "@/lib/factors/kinds";
import { changePassword } from "@/lib/people/profile";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { createLoginChallenge, findLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { createUser, createUserWithTotp, newBrowser, request, TEST_PASSWORD, uniqueEmail } from "../factories";
import { countStatements } from "../metrics";
import { newIp } from "./helpers";

const ip = newIp;

describe("password step", () => {
  // Each step of a sign-in reads its challenge this way: one statement, the same rows and
  // types as Prisma's own include would give (lib/platform/joined-rows.ts).
  it("a challenge is read with its user, account, methods and app secret in one statement, as Prisma reads them", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    const { token } = await db.$transaction((tx) =>
      createLoginChallenge(tx, { userId: user.id, pendingFactor: "totp", request, passwordGiven: true }),
    );
    const expected = await db.loginChallenge.findUnique({
      where: { tokenHash: hashToken(token) },
      include: {
        user: {
          include: { account: true, ...methodFacts, totpCredential: { select: { id: true, encryptedSecret: true } } },
        },
      },
    });
    expect(expected?.user.totpCredential?.encryptedSecret).toEqual(expect.any(String));
    let found: Awaited<ReturnType<typeof findLoginChallenge>> = null;
    expect(await countStatements(async () => (found = await findLoginChallenge(token)))).toBe(1);
    expect(found).toEqual(expected);
    expect(await findLoginChallenge(`${token}x`)).toBeNull();
  });

  it("gives one generic error for an unknown email and a wrong password", async () => {
    const user = await createUser();
    const unknown = await passwordStep({
      email: uniqueEmail(),
      password: TEST_PASSWORD,
      request: { ip: ip(), userAgent: "t" },
    });
    const wrong = await passwordStep({
      email: user.email,
      password: "not the password",
      request: { ip: ip(), userAgent: "t" },
    });
    expect(unknown).toEqual({ ok: false, error: "invalid_credentials" });
    expect(wrong).toEqual({ ok: false, error: "invalid_credentials" });
  });

  it("creates a login challenge, not a session; the challenge yields exactly one session", async () => {
    const user = await createUser();
    const step = await passwordStep({
      email: ` ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
      request: { ip: ip(), userAgent: "t" },
    });
    expect(step.ok).toBe(true);
    if (!step.ok) return;
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const results = await Promise.all([
      completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser }),
      completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const signedIn = results.find(Boolean)!;
    expect((await validateSessionToken(signedIn.sessionToken))?.userId).toBe(user.id);
    expect((await db.user.findUnique({ where: { id: user.id } }))?.lastSignInAt).not.toBeNull();
  });

  it("does not complete a challenge whose second factor is still pending", async () => {
    const user = await createUser();
    const { token } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "totp", request });
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
  });

  it("does not complete an expired challenge", async () => {
    const user = await createUser();
    const { token } = await createLoginChallenge(db, {
      userId: user.id,
      pendingFactor: null,
      request,
      now: new Date(Date.now() - 11 * 60_000),
    });
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
  });

  it("refuses disabled users after the password, saying so", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(
      await passwordStep({ email: user.email, password: TEST_PASSWORD, request: { ip: ip(), userAgent: "t" } }),
    ).toEqual({ ok: false, error: "account_disabled" });
  });

  it("records failed and successful sign-ins in the audit log", async () => {
    const user = await createUser();
    await passwordStep({ email: user.email, password: "wrong wrong wrong", request: { ip: ip(), userAgent: "t" } });
    const step = await passwordStep({
      email: user.email,
      password: TEST_PASSWORD,
      request: { ip: ip(), userAgent: "t" },
    });
    if (step.ok) await completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser });
    const types = (await db.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { createdAt: "asc" } })).map(
      (e) => e.type,
    );
    expect(types).toEqual(["sign_in.failed", "sign_in.succeeded"]);
  });
});

describe("password change", () => {
  it("needs the current password, ends other sessions and pending challenges", async () => {
    const user = await createUser();
    const current = await createSession(db, { userId: user.id, request });
    const other = await createSession(db, { userId: user.id, request });
    const pending = await createLoginChallenge(db, { userId: user.id, pendingFactor: null, request });

    const wrong = await changePassword({
      userId: user.id,
      sessionId: current.session.id,
      currentPassword: "nope nope nope",
      newPassword: "a brand new passphrase",
      request,
    });
    expect(wrong).toEqual({ ok: false, error: "wrong_password" });
    expect(await validateSessionToken(other.token)).not.toBeNull();

    const weak = await changePassword({
      userId: user.id,
      sessionId: current.session.id,
      currentPassword: TEST_PASSWORD,
      newPassword: "password1234",
      request,
    });
    expect(weak).toMatchObject({ ok: false, error: "weak_password" });

    const done = await changePassword({
      userId: user.id,
      sessionId: current.session.id,
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new passphrase",
      request,
    });
    expect(done).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await validateSessionToken(current.token)).not.toBeNull();
    expect(await validateSessionToken(other.token)).toBeNull();
    expect(await completeSignIn({ challengeToken: pending.token, request, client: newBrowser })).toBeNull();
    const step = await passwordStep({
      email: user.email,
      password: "a brand new passphrase",
      request: { ip: ip(), userAgent: "t" },
    });
    expect(step.ok).toBe(true);
  });
});

describe("first-run setup", () => {
  it("creates the first account and owner once, then is closed for ever", async () => {
    // Other tests create accounts directly; this one checks the gate on whatever exists.
    await createUser();
    expect(await isSetupOpen()).toBe(false);
    const again = await createFirstAccount({
      accountName: "Second",
      name: "Eve",
      email: uniqueEmail(),
      password: "another fine passphrase",
      request,
    });
    expect(again).toEqual({ ok: false, error: "setup_closed" });
  });
});
