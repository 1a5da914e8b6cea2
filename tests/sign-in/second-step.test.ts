// Property: the second step accepts only the right answer, each code once, a passed challenge yields one session, and it tells before any code what the page and the API show.
import { describe, expect, it } from "vitest";
import { consumeRecoveryCode } from "@/lib/factors/recovery-codes";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { startPasskeySecondFactor } from "@/lib/passkeys/assertion";
import { db } from "@/lib/platform/db";
import { validateSessionToken } from "@/lib/sessions/sessions";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { readSecondStep, type SecondFactorResult, verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, newBrowser, request, TEST_PASSWORD } from "../factories";
import { metricDifference } from "../metrics";
import { after, challenge, MINUTE, T0, userRow, userWithPasskey, wrongCode } from "./helpers";

describe("second step", () => {
  it("verifies the app code, not a wrong one; the challenge then yields one session", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    expect(
      await verifySecondFactor({ challengeToken: token, code: wrongCode(secret, T0), kind: "code", request, now: T0 }),
    ).toMatchObject({ ok: false, error: "invalid_code" });
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
    expect(
      await verifySecondFactor({
        challengeToken: token,
        code: totp(secret, T0.getTime()),
        kind: "code",
        request,
        now: T0,
      }),
    ).toEqual({ ok: true });
    const signedIn = await completeSignIn({ challengeToken: token, request, client: newBrowser });
    expect(signedIn?.userId).toBe(user.id);
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
    const types = (await db.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { createdAt: "asc" } })).map(
      (e) => e.type,
    );
    expect(types).toContain("two_factor.verified");
  });

  // The web's step: the factor, the burnt challenge and the session commit together.
  it("passed for a browser, makes the session in the same transaction, and only one", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    const code = totp(secret, T0.getTime());
    let result: SecondFactorResult | undefined;
    const commits = await metricDifference(
      "strongsign_db_query_duration_seconds",
      { statement: "commit" },
      async () => {
        result = await verifySecondFactor({
          challengeToken: token,
          code,
          kind: "code",
          request,
          now: T0,
          client: newBrowser,
        });
      },
    );
    expect(commits).toBe(1);
    const session = result?.ok ? result.session : undefined;
    expect(session?.userId).toBe(user.id);
    expect(await validateSessionToken(session!.sessionToken, T0)).toMatchObject({ id: session!.sessionId });
    expect(session?.deviceToken).toEqual(expect.any(String));
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const types = (await db.auditEvent.findMany({ where: { targetId: user.id } })).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["two_factor.verified", "sign_in.succeeded"]));
  });

  it("passed for a browser by a user disabled meanwhile, makes no session", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: T0 } });
    const code = totp(secret, T0.getTime());
    expect(
      await verifySecondFactor({ challengeToken: token, code, kind: "code", request, now: T0, client: newBrowser }),
    ).toEqual({ ok: true });
    expect(await completeSignIn({ challengeToken: token, request, client: newBrowser })).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses an unknown or expired challenge without counting it", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const code = totp(secret, T0.getTime());
    expect(await verifySecondFactor({ challengeToken: "made-up", code, kind: "code", request, now: T0 })).toEqual({
      ok: false,
      error: "challenge_expired",
    });
    const old = await challenge(user.id, after(-11 * MINUTE));
    expect(await verifySecondFactor({ challengeToken: old, code, kind: "code", request, now: T0 })).toEqual({
      ok: false,
      error: "challenge_expired",
    });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(0);
  });

  // Replay from another browser: a code used on one challenge is refused on the next.
  it("refuses a code already used on another challenge, and counts it", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const code = totp(secret, T0.getTime());
    expect(
      (await verifySecondFactor({ challengeToken: await challenge(user.id), code, kind: "code", request, now: T0 })).ok,
    ).toBe(true);
    const second = await verifySecondFactor({
      challengeToken: await challenge(user.id),
      code,
      kind: "code",
      request,
      now: T0,
    });
    expect(second).toEqual({ ok: false, error: "replayed", attemptsLeft: 9, source: "app" });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(1);
  });

  // Replay race: one code sent at once to several sign-ins (or app instances).
  it("lets one of five simultaneous sign-ins with the same code through", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const code = totp(secret, T0.getTime());
    const tokens = await Promise.all(Array.from({ length: 5 }, () => challenge(user.id)));
    const results = await Promise.all(
      tokens.map((token) => verifySecondFactor({ challengeToken: token, code, kind: "code", request, now: T0 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error === "replayed")).toHaveLength(4);
    expect(await db.loginChallenge.count({ where: { userId: user.id, factorVerifiedAt: { not: null } } })).toBe(1);
  });

  it("accepts a recovery code once, tells the user by email how many are left", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const result = await verifySecondFactor({
      challengeToken: await challenge(user.id),
      code: recoveryCodes[0].toUpperCase(),
      kind: "recovery",
      request,
      now: T0,
    });
    expect(result).toEqual({ ok: true, remaining: 9 });
    const mail = await db.outboundMessage.findFirstOrThrow({
      where: { to: user.email, subject: { contains: "recovery code" } },
    });
    expect(readMessageBody(mail)).toContain("9 recovery codes left");
    expect(readMessageBody(mail)).not.toContain("generate new codes");
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "recovery_code.used" } })).toBe(1);
    const again = await verifySecondFactor({
      challengeToken: await challenge(user.id),
      code: recoveryCodes[0],
      kind: "recovery",
      request,
      now: T0,
    });
    expect(again).toEqual({ ok: false, error: "invalid_code", attemptsLeft: 9, source: "recovery" });
  });

  it("urges new recovery codes when two or fewer are left", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    for (const code of recoveryCodes.slice(0, 7)) await consumeRecoveryCode(db, { userId: user.id, code });
    const result = await verifySecondFactor({
      challengeToken: await challenge(user.id),
      code: recoveryCodes[7],
      kind: "recovery",
      request,
      now: T0,
    });
    expect(result).toEqual({ ok: true, remaining: 2 });
    const mail = await db.outboundMessage.findFirstOrThrow({
      where: { to: user.email, subject: { contains: "recovery code" } },
    });
    expect(readMessageBody(mail)).toContain("2 recovery codes left");
    expect(readMessageBody(mail)).toContain("generate new codes");
  });

  it("verifies a code sent by SMS; five wrong ones end the challenge", async () => {
    const user = await createUser();
    const phone = `+4477009${Math.floor(10_000 + Math.random() * 89_999)}`;
    await db.user.update({
      where: { id: user.id },
      data: { twoFactorMethod: "sms", phone, phoneVerifiedAt: new Date() },
    });
    const sentCode = async (token: string) => {
      const { id } = await db.loginChallenge.findFirstOrThrow({
        where: { userId: user.id },
        orderBy: { createdAt: "desc" },
      });
      expect(await sendChallengeCode({ challengeId: id })).toMatchObject({ ok: true, channel: "sms" });
      const message = await db.outboundMessage.findFirstOrThrow({
        where: { to: phone },
        orderBy: { createdAt: "desc" },
      });
      return { token, code: readMessageBody(message)!.match(/\d{6}/)![0] };
    };

    const first = await sentCode(await challenge(user.id, new Date(), "sms"));
    const wrong = first.code === "000000" ? "111111" : "000000";
    expect(await verifySecondFactor({ challengeToken: first.token, code: wrong, kind: "code", request })).toEqual({
      ok: false,
      error: "invalid_code",
      attemptsLeft: 9,
      signInTriesLeft: 4,
      source: "sms",
    });
    expect(await verifySecondFactor({ challengeToken: first.token, code: first.code, kind: "code", request })).toEqual({
      ok: true,
    });
    expect((await completeSignIn({ challengeToken: first.token, request, client: newBrowser }))?.userId).toBe(user.id);

    const second = await sentCode(await challenge(user.id, new Date(), "sms"));
    for (let i = 0; i < 5; i++)
      await verifySecondFactor({
        challengeToken: second.token,
        code: second.code === "000000" ? "111111" : "000000",
        kind: "code",
        request,
      });
    expect(
      await verifySecondFactor({ challengeToken: second.token, code: second.code, kind: "code", request }),
    ).toEqual({ ok: false, error: "challenge_expired" });
  });
});

describe("a passkey as the second step", () => {
  it("passes a password sign-in through verifySecondFactor, and the API is sent elsewhere", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    expect(step.pendingFactor).toBe("passkey");
    const options = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: step.challengeId });
    const response = authenticator.assert(credential.id, options);
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "passkey", response, request }),
    ).toEqual({ ok: true });
    const verified = await db.auditEvent.findFirstOrThrow({
      where: { targetId: user.id, type: "two_factor.verified" },
    });
    const passkey = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
    expect(verified.data).toEqual({ method: "passkey", passkeyId: passkey.id, name: passkey.name });

    expect(await passwordStep({ email: user.email, password: TEST_PASSWORD, request, codesOnly: true })).toEqual({
      ok: false,
      error: "passkey_only",
    });
  });

  it("counts a refused passkey like a wrong code", async () => {
    const { user, authenticator, credential } = await userWithPasskey();
    const { challenge, token } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "passkey", request });
    const options = await startPasskeySecondFactor({ userId: user.id, loginChallengeId: challenge.id });
    const response = authenticator.assert(credential.id, options, { rpId: "phish.example" });
    expect(await verifySecondFactor({ challengeToken: token, kind: "passkey", response, request })).toMatchObject({
      ok: false,
      error: "passkey_rejected",
      source: "passkey",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSecondFactorCount).toBe(1);
  });
});

describe("what the second step says before any code is typed", () => {
  it("tells the page and the API where the code went, masked, the other methods and the recovery codes", async () => {
    const { user } = await createUserWithTotp({ at: new Date() });
    await db.user.update({ where: { id: user.id }, data: { emailCodesEnabledAt: new Date() } });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    expect(await sendChallengeCode({ challengeId: challenge.id })).toMatchObject({ ok: true, channel: "email" });
    const [local, domain] = user.email.split("@");
    expect(await readSecondStep({ challengeId: challenge.id })).toEqual({
      lock: { locked: false },
      delivery: { sent: true, channel: "email", fallback: null },
      destination: `${local.slice(0, 1)}•••@${domain}`,
      others: ["totp"],
      hasRecoveryCodes: true,
      issuer: "Test Org",
    });
  });
});
