// Property: wrong answers count per user towards one lock of the second step, which refuses every answer until it ends, and which every sign-in tells.
import { describe, expect, it } from "vitest";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { recordSecondFactorFailure, secondFactorLockState } from "@/lib/sign-in/lockout";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { readEndedSignIn, readSecondStep, verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request } from "../factories";
import {
  after,
  challenge,
  MINUTE,
  smsUser,
  startSignIn,
  T0,
  textedSignIn,
  textOf,
  userRow,
  wrongCode,
} from "./helpers";

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

describe("the lock, told where it happens", () => {
  it("the tenth failure answers with the lock's end and the email that went out", async () => {
    const { user, phone } = await smsUser();
    await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 9 } });
    const signIn = await textedSignIn(user.id, phone);
    const before = Date.now();
    const result = await verifySecondFactor({
      challengeToken: signIn.token,
      code: signIn.wrong,
      kind: "code",
      request,
    });
    expect(result).toMatchObject({ ok: false, error: "locked", emailed: true });
    const { secondFactorLockedUntil } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(result).toMatchObject({ lockedUntil: secondFactorLockedUntil });
    expect(secondFactorLockedUntil!.getTime()).toBeGreaterThanOrEqual(before + 15 * MINUTE);
    const text = textOf(result);
    expect(text).toMatch(
      /^Too many failed attempts in a row, so two-factor sign-in is locked until \d\d:\d\d UTC\. Until then no code is accepted, not even a recovery code or a passkey\. An administrator of your organisation can unlock you sooner\. We've emailed you about it\.$/,
    );
    // The page reads the same from the database, for this sign-in and the next one.
    const lock = { locked: true, until: secondFactorLockedUntil, emailed: true };
    expect((await readSecondStep({ challengeId: signIn.id })).lock).toEqual(lock);
    const next = await startSignIn(user.id, "sms");
    expect((await readSecondStep({ challengeId: next.id })).lock).toEqual(lock);
  });

  it("a lock that came after the sign-in ended is still told on that sign-in's page", async () => {
    const { user, phone } = await smsUser();
    await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 5 } });
    const signIn = await textedSignIn(user.id, phone);
    for (let i = 0; i < 5; i++)
      await verifySecondFactor({ challengeToken: signIn.token, code: signIn.wrong, kind: "code", request });
    const { secondFactorLockedUntil } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(secondFactorLockedUntil).not.toBeNull();
    expect(await readEndedSignIn(signIn.token)).toEqual({
      ended: "locked",
      lock: { locked: true, until: secondFactorLockedUntil, emailed: true },
    });
  });

  it("a recovery code is refused while locked, unchecked and not used up", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date(Date.now() - 5 * MINUTE) });
    const until = new Date(Date.now() + 10 * MINUTE);
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: until } });
    const { token } = await startSignIn(user.id, "totp");
    expect(
      await verifySecondFactor({ challengeToken: token, code: recoveryCodes[0], kind: "recovery", request }),
    ).toEqual({ ok: false, error: "locked", lockedUntil: until, emailed: false });
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(0);
  });

  it("has nothing to say of a sign-in that merely expired, or of an unknown one", async () => {
    const { user } = await smsUser();
    const { token } = await createLoginChallenge(db, {
      userId: user.id,
      pendingFactor: "sms",
      request,
      now: new Date(Date.now() - 11 * MINUTE),
    });
    expect(await readEndedSignIn(token)).toBeNull();
    expect(await readEndedSignIn("made-up")).toBeNull();
    expect(await readEndedSignIn("")).toBeNull();
  });
});
