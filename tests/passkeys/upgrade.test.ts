// Property: a passkey is offered after a sign-in with the password and a second factor, silently only once and only within minutes of it, never to someone snoozed, with a passkey or in an account without passkeys, and is added, audited and emailed as in My Profile.
import { describe, expect, it, vi } from "vitest";
import {
  passkeyUpgradeOptionsAction,
  snoozePasskeyUpgradeAction,
} from "@/app/(dashboard)/profile/passkeys/upgrade-actions";
import { PASSKEY_UPGRADE_SNOOZE_MS, PASSKEY_UPGRADE_WINDOW_MS } from "@/lib/config";
import { removeMethod } from "@/lib/factors/removal";
import { addPasskey } from "@/lib/passkeys/add";
import { startPasskeyPasswordless } from "@/lib/passkeys/assertion";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { passkeyUpgradeOffer, snoozePasskeyUpgrade, startPasskeyUpgrade } from "@/lib/passkeys/upgrade";
import { hashToken } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { createSession, findSession } from "@/lib/sessions/sessions";
import { completeSignIn, passwordStep, type SignInClient } from "@/lib/sign-in/password-step";
import { passkeySignIn } from "@/lib/sign-in/passwordless";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { switchSecondFactor } from "@/lib/sign-in/try-another-way";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, newBrowser, request, TEST_PASSWORD } from "../factories";
import { fromNewIp, rp, userWithPasskey } from "../sign-in/helpers";
import { createSoftAuthenticator } from "../soft-authenticator";

// The attacks: a silent passkey (made without the user-presence flag) would let anyone
// holding a session, or a script in the page, add a key to the account unseen. So it is
// allowed only right after the password and a second factor were given in this very
// session (a fact the server wrote at sign-in), once, and is otherwise added exactly as
// in My Profile. And one person's "Not now" must not silence the offer for another.

const MINUTE = 60_000;

// The outside world of a server action: the browser's headers, its session cookie among
// them (as in tests/dal.test.ts), and Next's page cache, which is not this test's business.
let incoming = new Headers();
vi.mock("server-only", () => ({}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => incoming,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function browserRequest(token: string) {
  incoming = new Headers({
    host: "localhost:3000",
    "x-forwarded-proto": "http",
    "user-agent": "upgrade test",
    cookie: `authjs.session-token=${token}`,
  });
}

// Signs in for real: the password, a current code from the app, the session.
async function signInWithApp(user: { email: string }, secret: string, client: SignInClient = newBrowser) {
  const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: fromNewIp() });
  if (!step.ok) throw new Error(step.error);
  // Someone whose second step opens with a passkey takes "Try another way" to the app.
  if (step.pendingFactor !== "totp")
    expect(await switchSecondFactor({ challengeToken: step.challengeToken, method: "totp" })).toEqual({ ok: true });
  const code = totp(secret, Date.now());
  const verified = await verifySecondFactor({ challengeToken: step.challengeToken, kind: "code", code, request });
  if (!verified.ok) throw new Error(verified.error);
  const signedIn = await completeSignIn({ challengeToken: step.challengeToken, request, client });
  if (!signedIn) throw new Error("no session");
  return Object.assign((await findSession({ id: signedIn.sessionId }))!, { token: signedIn.sessionToken });
}

// A user with an app who set it up a while ago, so that the code at sign-in is a new one.
async function appUser() {
  return createUserWithTotp({ at: new Date(Date.now() - 2 * MINUTE) });
}

async function offerFor(sessionId: string, now = new Date()) {
  const session = (await findSession({ id: sessionId }))!;
  return passkeyUpgradeOffer({ user: session.user, session, now });
}

describe("when the offer shows", () => {
  it("after the password and an app code: without a dialog for a few minutes, then as the card", async () => {
    const { user, secret } = await appUser();
    const session = await signInWithApp(user, secret);
    const signedInAt = session.createdAt.getTime();

    expect(session.passkeyUpgradeUntil?.getTime()).toBe(signedInAt + PASSKEY_UPGRADE_WINDOW_MS);
    expect(await offerFor(session.id)).toEqual({ show: true, conditional: true });
    expect(await offerFor(session.id, new Date(signedInAt + PASSKEY_UPGRADE_WINDOW_MS))).toEqual({
      show: true,
      conditional: false,
    });
  });

  it("not to someone with a passkey, even after the password and an app code", async () => {
    const { user, secret } = await appUser();
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    expect(await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request })).toMatchObject({
      ok: true,
    });
    const signedIn = await signInWithApp(user, secret);
    expect(await offerFor(signedIn.id)).toEqual({ show: false });
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: signedIn.id })).toEqual({
      ok: false,
      error: "invalid_or_expired",
    });
  });

  it("not in an account that does not allow passkeys", async () => {
    const { user, secret } = await appUser();
    await db.account.update({ where: { id: user.accountId }, data: { allowedMethods: ["totp", "sms"] } });
    const session = await signInWithApp(user, secret);
    expect(await offerFor(session.id)).toEqual({ show: false });
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: session.id })).toMatchObject({ ok: false });
  });

  it("not to someone without a second factor: a password alone writes no fact and shows no card", async () => {
    const user = await createUser();
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: fromNewIp() });
    if (!step.ok) throw new Error(step.error);
    const signedIn = await completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser });
    const session = (await findSession({ id: signedIn!.sessionId }))!;
    expect(session.passkeyUpgradeUntil).toBeNull();
    expect(await offerFor(session.id)).toEqual({ show: false });
  });

  it("never without a dialog after a passkey sign-in without the password", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const { options, browserToken } = await startPasskeyPasswordless();
    const result = await passkeySignIn({
      browserToken,
      response: authenticator.assert(credential.id, options),
      request,
    });
    if (!result.ok) throw new Error(result.error);
    const signedIn = await completeSignIn({ challengeToken: result.challengeToken, request, client: newBrowser });
    const session = (await findSession({ id: signedIn!.sessionId }))!;
    expect(session.passkeyUpgradeUntil).toBeNull();
    expect(await offerFor(session.id)).toEqual({ show: false });

    // Even were the passkey gone and another method left, this sign-in gives only the card.
    await db.user.update({ where: { id: user.id }, data: { emailCodesEnabledAt: new Date() } });
    const passkey = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
    expect(await removeMethod({ userId: user.id, method: "passkey", passkeyId: passkey.id, request })).toMatchObject({
      ok: true,
    });
    expect(await offerFor(session.id)).toEqual({ show: true, conditional: false });
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: session.id })).toMatchObject({ ok: false });
  });

  it("not to an API sign-in, which has no page to make a passkey on", async () => {
    const { user, secret } = await appUser();
    const session = await signInWithApp(user, secret, { kind: "api" });
    expect(session.passkeyUpgradeUntil).toBeNull();
  });
});

describe("Not now", () => {
  it("hides the offer from that user alone, for 30 days", async () => {
    const { user, secret } = await appUser();
    const colleague = await createUserWithTotp({ at: new Date(Date.now() - 2 * MINUTE), accountId: user.accountId });
    const mine = await signInWithApp(user, secret);
    const theirs = await signInWithApp(colleague.user, colleague.secret);
    const now = new Date();

    await snoozePasskeyUpgrade({ userId: user.id, now });

    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passkeyUpgradeSnoozedUntil).toEqual(
      new Date(now.getTime() + PASSKEY_UPGRADE_SNOOZE_MS),
    );
    expect(
      (await db.user.findUniqueOrThrow({ where: { id: colleague.user.id } })).passkeyUpgradeSnoozedUntil,
    ).toBeNull();
    expect(await offerFor(mine.id, now)).toEqual({ show: false });
    expect(await offerFor(theirs.id, now)).toEqual({ show: true, conditional: true });
    // Snoozed, the silent passkey is not made either.
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: mine.id, now })).toMatchObject({ ok: false });

    const day = 24 * 60 * MINUTE;
    expect(await offerFor(mine.id, new Date(now.getTime() + 30 * day - 1))).toEqual({ show: false });
    expect(await offerFor(mine.id, new Date(now.getTime() + 30 * day))).toEqual({ show: true, conditional: false });
  });
});

describe("the passkey made without a dialog", () => {
  it("is added once per sign-in, without the user-presence flag, audited and emailed as any new passkey", async () => {
    const { user, secret, recoveryCodes } = await appUser();
    const other = await createSession(db, { userId: user.id, request });
    const session = await signInWithApp(user, secret);

    const started = await startPasskeyUpgrade({ userId: user.id, sessionId: session.id });
    if (!started.ok) throw new Error(started.error);
    const stored = await db.webAuthnChallenge.findUniqueOrThrow({
      where: { challengeHash: hashToken(started.options.challenge) },
    });
    expect(stored).toMatchObject({ purpose: "upgrade", userId: user.id, sessionId: session.id });
    // Single shot: a second request gets nothing.
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: session.id })).toMatchObject({ ok: false });

    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(started.options, { userPresent: false, userVerified: false });
    const added = await addPasskey({
      userId: user.id,
      sessionId: session.id,
      name: "",
      response,
      request,
      conditional: true,
    });

    expect(added).toMatchObject({ ok: true, recoveryCodes: null });
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(recoveryCodes.length);
    expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.session.findUnique({ where: { id: other.session.id } })).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "passkey.added" } })).toBe(1);
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "passkey was added" } } }),
    ).toBe(1);
    expect(await offerFor(session.id)).toEqual({ show: false });
  });

  it("goes to one of two simultaneous requests (two tabs) only", async () => {
    const { user, secret } = await appUser();
    const session = await signInWithApp(user, secret);
    const both = await Promise.all([1, 2].map(() => startPasskeyUpgrade({ userId: user.id, sessionId: session.id })));
    expect(both.filter((started) => started.ok)).toHaveLength(1);
    expect(await db.webAuthnChallenge.count({ where: { sessionId: session.id, purpose: "upgrade" } })).toBe(1);
  });

  it("is refused without the fresh sign-in: a session made otherwise, later, or someone else's", async () => {
    const { user, secret } = await appUser();
    // A session that no sign-in with a second factor made.
    const { session: plain } = await createSession(db, { userId: user.id, request, sudoAt: new Date() });
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: plain.id })).toMatchObject({ ok: false });

    const session = await signInWithApp(user, secret);
    const late = new Date(session.createdAt.getTime() + PASSKEY_UPGRADE_WINDOW_MS);
    expect(await startPasskeyUpgrade({ userId: user.id, sessionId: session.id, now: late })).toMatchObject({
      ok: false,
    });
    const stranger = await appUser();
    expect(await startPasskeyUpgrade({ userId: stranger.user.id, sessionId: session.id })).toMatchObject({
      ok: false,
    });
    expect(await db.webAuthnChallenge.count({ where: { sessionId: { in: [plain.id, session.id] } } })).toBe(0);
  });

  it("needs the upgrade's own challenge: an ordinary one is not finished without the user-presence flag", async () => {
    const { user, secret } = await appUser();
    const session = await signInWithApp(user, secret);
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const add = (response: unknown, conditional: boolean) =>
      addPasskey({ userId: user.id, sessionId: session.id, name: "", response, request, conditional });

    const ordinary = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
    const silent = authenticator.register(ordinary, { userPresent: false });
    expect(await add(silent.response, true)).toEqual({ ok: false, error: "challenge_expired" });

    const again = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
    expect(await add(authenticator.register(again, { userPresent: false }).response, false)).toEqual({
      ok: false,
      error: "passkey_rejected",
    });

    const started = await startPasskeyUpgrade({ userId: user.id, sessionId: session.id });
    if (!started.ok) throw new Error(started.error);
    // The upgrade's challenge is not an ordinary registration's either.
    expect(await add(authenticator.register(started.options).response, false)).toEqual({
      ok: false,
      error: "challenge_expired",
    });
    expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(0);
  });

  it("brings a fresh set of recovery codes, to be shown once, when none was left", async () => {
    const { user, secret } = await appUser();
    await db.recoveryCode.updateMany({ where: { userId: user.id }, data: { usedAt: new Date() } });
    const session = await signInWithApp(user, secret);
    const started = await startPasskeyUpgrade({ userId: user.id, sessionId: session.id });
    if (!started.ok) throw new Error(started.error);
    const { response } = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id }).register(started.options, {
      userPresent: false,
    });
    const added = await addPasskey({
      userId: user.id,
      sessionId: session.id,
      name: "",
      response,
      request,
      conditional: true,
    });
    expect(added.ok && added.recoveryCodes).toHaveLength(10);
  });
});

describe("the actions", () => {
  it("Not now snoozes the signed-in user alone, whoever the form names", async () => {
    const { user, secret } = await appUser();
    const colleague = await createUserWithTotp({ at: new Date(Date.now() - 2 * MINUTE), accountId: user.accountId });
    browserRequest((await signInWithApp(user, secret)).token);
    const form = new FormData();
    form.set("userId", colleague.user.id);

    await snoozePasskeyUpgradeAction(form);

    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passkeyUpgradeSnoozedUntil).not.toBeNull();
    expect(
      (await db.user.findUniqueOrThrow({ where: { id: colleague.user.id } })).passkeyUpgradeSnoozedUntil,
    ).toBeNull();
  });

  it("hands the silent passkey's options once, and only to the session a fresh sign-in made", async () => {
    const { user, secret } = await appUser();
    const plain = await createSession(db, { userId: user.id, request, sudoAt: new Date() });
    browserRequest(plain.token);
    expect(await passkeyUpgradeOptionsAction()).toEqual({ ok: false });

    browserRequest((await signInWithApp(user, secret)).token);
    expect(await passkeyUpgradeOptionsAction()).toMatchObject({ ok: true, options: { rp: { id: rp.id } } });
    expect(await passkeyUpgradeOptionsAction()).toEqual({ ok: false });
  });
});
