// Property: a sign-in waiting for a code we send takes five wrong codes, and every refusal says what is left of each limit.
import { describe, expect, it } from "vitest";
import { regenerateRecoveryCodes } from "@/lib/factors/recovery-codes";
import { db } from "@/lib/platform/db";
import { readEndedSignIn, verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUserWithTotp, request } from "../factories";
import { MINUTE, smsUser, startSignIn, textedSignIn, textOf } from "./helpers";

// Issue 16, point 8: the two limits of the second step, as the server tells them. Each
// sign-in waiting for a texted or emailed code takes 5 wrong codes (docs/security-model.md,
// "SMS and email codes": a 6-digit code must not be guessable within one challenge), and
// every user's second step locks after 10 failures in a row (docs/security-model.md,
// "Limits and locks"). A person used to meet both by surprise, sent to "Your sign-in took
// too long": now every refusal carries what is left of each, the end of a sign-in is its
// own answer, and a lock says until when and whether it was emailed.

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
