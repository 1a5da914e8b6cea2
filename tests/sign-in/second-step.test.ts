import { describe, expect, it } from "vitest";
import { consumeRecoveryCode } from "@/lib/factors/recovery-codes";
import { disableTwoFactor } from "@/lib/factors/removal";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createSession, validateSessionToken } from "@/lib/sessions/sessions";
import { recordSecondFactorFailure, secondFactorLockState } from "@/lib/sign-in/lockout";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import { completeSignIn } from "@/lib/sign-in/password-step";
import { readSecondStep, verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, newBrowser, request, TEST_PASSWORD } from "../factories";

const _STEP_MS = 30_000;
const MINUTE = 60_000;
// Halfway through a 30 s step; every time in these tests is relative to it.
const T0 = new Date(Date.UTC(2030, 0, 1, 0, 0, 15));
const after = (ms: number) => new Date(T0.getTime() + ms);

async function challenge(userId: string, now = T0, pendingFactor: PendingFactor = "totp") {
  return (await createLoginChallenge(db, { userId, pendingFactor, request, now })).token;
}

// A well-formed code that the secret does not produce anywhere in the drift window.
function wrongCode(secret: string, now: Date) {
  const valid = new Set([-1, 0, 1].map((offset) => totp(secret, now.getTime(), offset)));
  return ["000000", "111111", "222222", "333333"].find((code) => !valid.has(code))!;
}

const userRow = (id: string) => db.user.findUniqueOrThrow({ where: { id } });

// Password-step limits are per IP; a fresh address keeps these tests apart.
const fromNewIp = () => ({ ip: `198.51.100.${Math.floor(Math.random() * 250)}`, userAgent: "vitest" });

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

describe("lockout", () => {
  // Brute force of the 6-digit code: ten guesses, spread over several sign-ins, lock the
  // second step for 15 minutes, and then even the right code is refused unchecked.
  it("locks after ten failures across three challenges; the right code is then refused", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const tokens = [await challenge(user.id), await challenge(user.id), await challenge(user.id)];
    const wrong = wrongCode(secret, T0);
    const results = [];
    for (let i = 0; i < 10; i++)
      results.push(
        await verifySecondFactor({ challengeToken: tokens[i % 3], code: wrong, kind: "code", request, now: T0 }),
      );
    expect(results.slice(0, 9).map((r) => !r.ok && "attemptsLeft" in r && r.attemptsLeft)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    expect(results[9]).toEqual({ ok: false, error: "locked", lockedUntil: after(15 * MINUTE), emailed: true });

    const { lastUsedStep } = await db.totpCredential.findUniqueOrThrow({ where: { userId: user.id } });
    const refused = await verifySecondFactor({
      challengeToken: await challenge(user.id),
      code: totp(secret, T0.getTime()),
      kind: "code",
      request,
      now: T0,
    });
    expect(refused).toEqual({ ok: false, error: "locked", lockedUntil: after(15 * MINUTE), emailed: true });
    // Refused without being checked: the code was not used up.
    expect((await db.totpCredential.findUniqueOrThrow({ where: { userId: user.id } })).lastUsedStep).toBe(lastUsedStep);

    const mails = await db.outboundMessage.findMany({ where: { to: user.email, subject: { contains: "locked" } } });
    expect(mails).toHaveLength(1);
    expect(readMessageBody(mails[0])).toContain("locked for 15 minutes after 10 failed attempts");
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.locked" } })).toBe(1);
  });

  it("keeps the lock in the database and lifts it after 15 minutes", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    for (let i = 0; i < 10; i++)
      await verifySecondFactor({ challengeToken: token, code: wrongCode(secret, T0), kind: "code", request, now: T0 });

    // What another app instance, or this one after a restart, reads.
    const row = await userRow(user.id);
    expect(row.secondFactorLockedUntil).toEqual(after(15 * MINUTE));
    expect(secondFactorLockState(row, after(15 * MINUTE - 1000))).toEqual({
      locked: true,
      until: after(15 * MINUTE),
      emailed: true,
    });
    expect(secondFactorLockState(row, after(15 * MINUTE))).toEqual({ locked: false });

    const almost = after(15 * MINUTE - 1000);
    const stillLocked = await verifySecondFactor({
      challengeToken: await challenge(user.id, almost),
      code: totp(secret, almost.getTime()),
      kind: "code",
      request,
      now: almost,
    });
    expect(stillLocked).toMatchObject({ ok: false, error: "locked" });
    const later = after(15 * MINUTE);
    expect(
      await verifySecondFactor({
        challengeToken: await challenge(user.id, later),
        code: totp(secret, later.getTime()),
        kind: "code",
        request,
        now: later,
      }),
    ).toEqual({ ok: true });
  });

  it("counts only consecutive failures: a success resets the count", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    for (let i = 0; i < 9; i++)
      await verifySecondFactor({ challengeToken: token, code: wrongCode(secret, T0), kind: "code", request, now: T0 });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(9);
    expect(
      (
        await verifySecondFactor({
          challengeToken: token,
          code: totp(secret, T0.getTime()),
          kind: "code",
          request,
          now: T0,
        })
      ).ok,
    ).toBe(true);
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(0);
    const next = await challenge(user.id);
    let last: Awaited<ReturnType<typeof verifySecondFactor>> | undefined;
    for (let i = 0; i < 9; i++)
      last = await verifySecondFactor({
        challengeToken: next,
        code: wrongCode(secret, T0),
        kind: "code",
        request,
        now: T0,
      });
    expect(last).toEqual({ ok: false, error: "invalid_code", attemptsLeft: 1, source: "app" });
  });

  // Malformed input is still a guess: it must not be a free way to probe the endpoint.
  it("counts malformed codes as failures", async () => {
    const { user } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const token = await challenge(user.id);
    const inputs = ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "9".repeat(5000), "12 34 56'; DROP TABLE"];
    for (const [i, code] of inputs.entries()) {
      expect(await verifySecondFactor({ challengeToken: token, code, kind: "code", request, now: T0 })).toEqual({
        ok: false,
        error: "invalid_format",
        attemptsLeft: 9 - i,
        source: "app",
      });
    }
    expect(
      await verifySecondFactor({
        challengeToken: token,
        code: "not-a-recovery-code",
        kind: "recovery",
        request,
        now: T0,
      }),
    ).toMatchObject({ ok: false, error: "invalid_format" });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(inputs.length + 1);
    // A sign-in by app has no five-code limit of its own: its guesses count towards the
    // lock. A texted sign-in counts malformed codes towards its five
    // (tests/sign-in/texted-code-limits.test.ts).
    expect((await db.loginChallenge.findFirstOrThrow({ where: { userId: user.id } })).failedAttempts).toBe(0);
  });

  it("uses the account's threshold", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    await db.account.update({ where: { id: user.accountId }, data: { lockoutThreshold: 3 } });
    const token = await challenge(user.id);
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        await verifySecondFactor({
          challengeToken: token,
          code: wrongCode(secret, T0),
          kind: "code",
          request,
          now: T0,
        }),
      );
    expect(results.map((r) => !r.ok && r.error)).toEqual(["invalid_code", "invalid_code", "locked"]);
    const mail = await db.outboundMessage.findFirstOrThrow({
      where: { to: user.email, subject: { contains: "locked" } },
    });
    expect(readMessageBody(mail)).toContain("after 3 failed attempts");
  });

  // Parallel guessing must not get more than the threshold's worth of tries, nor flood
  // the user with lockout emails.
  it("locks once when many failures arrive at the same time", async () => {
    const user = await createUser();
    const outcomes = await Promise.all(
      Array.from({ length: 14 }, () => recordSecondFactorFailure({ userId: user.id, request, now: T0 })),
    );
    expect(outcomes.filter((o) => o.locked)).toHaveLength(5);
    expect(await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "locked" } } })).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.locked" } })).toBe(1);
    expect(await userRow(user.id)).toMatchObject({
      failedSecondFactorCount: 0,
      secondFactorLockedUntil: after(15 * MINUTE),
    });
  });
});

describe("disabling", () => {
  it("needs the password and a current code; removes secret and codes, ends other sessions", async () => {
    const { user, secret, recoveryCodes } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const current = await createSession(db, { userId: user.id, request });
    const other = await createSession(db, { userId: user.id, request });
    // A sign-in that got past the password step and would otherwise still complete.
    const pending = await challenge(user.id, new Date(), null);
    const base = { userId: user.id, sessionId: current.session.id, request: fromNewIp(), now: T0 };

    expect(await disableTwoFactor({ ...base, password: "not the password", code: totp(secret, T0.getTime()) })).toEqual(
      { ok: false, error: "wrong_password" },
    );
    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: "" })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect((await userRow(user.id)).failedSecondFactorCount).toBe(2);
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");

    expect(await disableTwoFactor({ ...base, password: TEST_PASSWORD, code: totp(secret, T0.getTime()) })).toEqual({
      ok: true,
    });
    const after2fa = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { totpCredential: true, totpSetup: true, recoveryCodes: true },
    });
    expect(after2fa).toMatchObject({
      twoFactorMethod: null,
      twoFactorEnabledAt: null,
      totpCredential: null,
      totpSetup: null,
      recoveryCodes: [],
    });
    expect(await consumeRecoveryCode(db, { userId: user.id, code: recoveryCodes[0] })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await validateSessionToken(current.token)).not.toBeNull();
    expect(await validateSessionToken(other.token)).toBeNull();
    expect(await completeSignIn({ challengeToken: pending, request, client: newBrowser })).toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "two_factor.disabled" } })).toBe(1);
    expect(
      await db.outboundMessage.count({
        where: { to: user.email, subject: "Two-factor authentication was turned off" },
      }),
    ).toBe(1);
  });

  // A stolen session plus a known password must not be able to guess the code to switch 2FA off.
  it("counts wrong codes towards the lockout and refuses while locked", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const { session } = await createSession(db, { userId: user.id, request });
    await db.account.update({ where: { id: user.accountId }, data: { lockoutThreshold: 2 } });
    const base = { userId: user.id, sessionId: session.id, password: TEST_PASSWORD, request: fromNewIp(), now: T0 };
    expect(await disableTwoFactor({ ...base, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "invalid_code",
    });
    expect(await disableTwoFactor({ ...base, code: wrongCode(secret, T0) })).toEqual({
      ok: false,
      error: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect(await disableTwoFactor({ ...base, code: totp(secret, T0.getTime()) })).toEqual({
      ok: false,
      error: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");
  });

  it("is refused while the account requires 2FA, unless the user is exempt", async () => {
    const { user, secret } = await createUserWithTotp({ at: after(-5 * MINUTE) });
    const { session } = await createSession(db, { userId: user.id, request });
    await db.account.update({
      where: { id: user.accountId },
      data: { enforceTwoFactor: true, enforceSince: new Date() },
    });
    const attempt = () =>
      disableTwoFactor({
        userId: user.id,
        sessionId: session.id,
        password: TEST_PASSWORD,
        code: totp(secret, T0.getTime()),
        request: fromNewIp(),
        now: T0,
      });
    expect(await attempt()).toEqual({ ok: false, error: "enforced" });
    expect((await userRow(user.id)).twoFactorMethod).toBe("totp");
    await db.user.update({ where: { id: user.id }, data: { twoFactorExempt: true } });
    expect(await attempt()).toEqual({ ok: true });
  });

  it("says so when 2FA is not on", async () => {
    const user = await createUser();
    const { session } = await createSession(db, { userId: user.id, request });
    expect(
      await disableTwoFactor({
        userId: user.id,
        sessionId: session.id,
        password: TEST_PASSWORD,
        code: "123456",
        request: fromNewIp(),
      }),
    ).toEqual({ ok: false, error: "not_enabled" });
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
