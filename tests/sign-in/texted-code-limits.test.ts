import { describe, expect, it } from "vitest";
import { regenerateRecoveryCodes } from "@/lib/factors/recovery-codes";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import {
  readEndedSignIn,
  readSecondStep,
  type SecondFactorResult,
  verifySecondFactor,
} from "@/lib/sign-in/second-step";
import { secondFactorErrorText } from "../../app/messages";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request } from "../factories";

// Issue 16, point 8: the two limits of the second step, as the server tells them. Each
// sign-in waiting for a texted or emailed code takes 5 wrong codes (SPEC §5: a 6-digit
// code must not be guessable within one challenge), and every user's second step locks
// after 10 failures in a row (SPEC §8). A person used to meet both by surprise, sent to
// "Your sign-in took too long": now every refusal carries what is left of each, the end
// of a sign-in is its own answer, and a lock says until when and whether it was emailed.

const MINUTE = 60_000;

async function smsUser() {
  const user = await createUser();
  const phone = `+4477009${Math.floor(10_000 + Math.random() * 89_999)}`;
  await db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: "sms", phone, phoneVerifiedAt: new Date() },
  });
  return { user, phone };
}

async function startSignIn(userId: string, pendingFactor: PendingFactor) {
  const { token, challenge } = await createLoginChallenge(db, { userId, pendingFactor, request });
  return { token, id: challenge.id };
}

// Starts a texted sign-in and returns its token with a well-formed code that is not the one sent.
async function textedSignIn(userId: string, phone: string) {
  const { token, id } = await startSignIn(userId, "sms");
  expect(await sendChallengeCode({ challengeId: id })).toMatchObject({ ok: true, channel: "sms" });
  const message = await db.outboundMessage.findFirstOrThrow({ where: { to: phone }, orderBy: { createdAt: "desc" } });
  const code = readMessageBody(message)!.match(/\d{6}/)![0];
  return { token, id, code, wrong: code === "000000" ? "111111" : "000000" };
}

const textOf = (result: SecondFactorResult) => {
  if (result.ok) throw new Error("expected a refusal");
  return secondFactorErrorText(result);
};

describe("the five codes of one texted sign-in", () => {
  it("counts down from the first wrong code, and the fifth ends the sign-in with its own answer", async () => {
    const { user, phone } = await smsUser();
    const signIn = await textedSignIn(user.id, phone);
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(
        await verifySecondFactor({ challengeToken: signIn.token, code: signIn.wrong, kind: "code", request }),
      );
    expect(results.slice(0, 4)).toEqual(
      [4, 3, 2, 1].map((left, i) => ({
        ok: false,
        error: "invalid_code",
        attemptsLeft: 9 - i,
        signInTriesLeft: left,
        source: "sms",
      })),
    );
    expect(textOf(results[0])).toBe(
      "That code is not valid. Check your texts for the newest code and try again. 4 tries left in this sign-in.",
    );
    expect(textOf(results[3])).toContain("1 try left in this sign-in.");
    expect(results[4]).toEqual({ ok: false, error: "too_many_attempts" });
    expect(textOf(results[4])).toBe(
      "That was the 5th wrong code, so this sign-in has ended. Sign in again with your password and we'll send a new code.",
    );
    // The sign-in is over: even the right code is refused, and the page reads why.
    expect(
      await verifySecondFactor({ challengeToken: signIn.token, code: signIn.code, kind: "code", request }),
    ).toEqual({ ok: false, error: "challenge_expired" });
    expect(await readEndedSignIn(signIn.token)).toEqual({ ended: "too_many_attempts" });
  });

  it("counts a malformed entry for a texted code like a wrong one", async () => {
    const { user, phone } = await smsUser();
    const signIn = await textedSignIn(user.id, phone);
    const results = [];
    for (const code of ["", "12345", "abcdef", "9".repeat(5000), signIn.wrong])
      results.push(await verifySecondFactor({ challengeToken: signIn.token, code, kind: "code", request }));
    expect(results.map((r) => !r.ok && r.error)).toEqual([
      "invalid_format",
      "invalid_format",
      "invalid_format",
      "invalid_format",
      "too_many_attempts",
    ]);
    expect(results[0]).toMatchObject({ signInTriesLeft: 4 });
  });

  // The five are the codes we send: wrong recovery codes count towards the lock only,
  // so someone without their phone is not sent back to the password (and another text).
  it("does not count recovery codes, and says nothing of the sign-in's codes for them", async () => {
    const { user, phone } = await smsUser();
    await regenerateRecoveryCodes({ userId: user.id, request });
    const signIn = await textedSignIn(user.id, phone);
    for (let i = 0; i < 5; i++) {
      const result = await verifySecondFactor({
        challengeToken: signIn.token,
        code: "0000-0000-0000-0000",
        kind: "recovery",
        request,
      });
      expect(result).toEqual({ ok: false, error: "invalid_code", attemptsLeft: 9 - i, source: "recovery" });
    }
    expect(
      await verifySecondFactor({ challengeToken: signIn.token, code: signIn.code, kind: "code", request }),
    ).toEqual({ ok: true });
  });

  it("names the lock, not the sign-in, when the lock comes first", async () => {
    const { user, phone } = await smsUser();
    await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 7 } });
    const signIn = await textedSignIn(user.id, phone);
    const result = await verifySecondFactor({
      challengeToken: signIn.token,
      code: signIn.wrong,
      kind: "code",
      request,
    });
    expect(result).toMatchObject({ attemptsLeft: 2, signInTriesLeft: 4 });
    expect(textOf(result)).toBe(
      "That code is not valid. Check your texts for the newest code and try again. 2 attempts left before two-factor sign-in is locked for 15 minutes.",
    );
  });

  it("an app code has no per-sign-in count, only the lock's when few attempts remain", async () => {
    const now = new Date();
    const { user, secret } = await createUserWithTotp({ at: new Date(now.getTime() - 5 * MINUTE) });
    const valid = new Set([-1, 0, 1].map((step) => totp(secret, now.getTime(), step)));
    const wrong = ["000000", "111111", "222222", "333333"].find((code) => !valid.has(code))!;
    const { token } = await startSignIn(user.id, "totp");
    const first = await verifySecondFactor({ challengeToken: token, code: wrong, kind: "code", request, now });
    expect(first).toEqual({ ok: false, error: "invalid_code", attemptsLeft: 9, source: "app" });
    expect(textOf(first)).toBe("That code is not valid. Check your app and try again.");
    await db.user.update({ where: { id: user.id }, data: { failedSecondFactorCount: 8 } });
    const later = await verifySecondFactor({ challengeToken: token, code: wrong, kind: "code", request, now });
    expect(textOf(later)).toBe(
      "That code is not valid. Check your app and try again. 1 attempt left before two-factor sign-in is locked for 15 minutes.",
    );
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
