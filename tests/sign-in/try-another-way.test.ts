// Property: "Try another way" switches a sign-in only to a method the user has, and a code we send for the new method replaces the old one.
import { describe, expect, it } from "vitest";
import { sendFirstChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { db } from "@/lib/platform/db";
import { createLoginChallenge, findLoginChallenge } from "@/lib/sign-in/login-challenge";
import { passwordStep } from "@/lib/sign-in/password-step";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { switchSecondFactor } from "@/lib/sign-in/try-another-way";
import { createUser, createUserWithTotp, lastCode, request, TEST_PASSWORD } from "../factories";

describe("Try another way", () => {
  it("switches only to a method the user has, and a passkey answer does not pass an app step", async () => {
    const { user, secret } = await createUserWithTotp({ at: new Date() });
    const { token, challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "totp", request });
    expect(await switchSecondFactor({ challengeToken: token, method: "sms" })).toEqual({
      ok: false,
      error: "not_enabled",
    });
    expect(await switchSecondFactor({ challengeToken: token, method: "passkey" })).toEqual({
      ok: false,
      error: "not_enabled",
    });
    expect((await findLoginChallenge(token))?.pendingFactor).toBe("totp");
    expect(await verifySecondFactor({ challengeToken: token, kind: "passkey", response: {}, request })).toEqual({
      ok: false,
      error: "challenge_expired",
    });
    expect(secret).toBeTruthy();

    await db.user.update({ where: { id: user.id }, data: { emailCodesEnabledAt: new Date() } });
    expect(await switchSecondFactor({ challengeToken: token, method: "email" })).toEqual({ ok: true });
    const switched = await db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.id } });
    expect(switched).toMatchObject({ pendingFactor: "email", codeChannel: "email" });
    expect(await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "sign-in code" } } })).toBe(
      1,
    );
  });
});

describe("switching between codes we send", () => {
  it("sends the new channel's code at once; the old code dies; the challenge's send count still bounds it", async () => {
    const user = await createUser();
    await db.user.update({
      where: { id: user.id },
      data: {
        smsEnabledAt: new Date(),
        emailCodesEnabledAt: new Date(),
        phone: "+447700900321",
        twoFactorMethod: "sms",
      },
    });
    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    await sendFirstChallengeCode({ challengeId: step.challengeId });
    const texted = await lastCode("+447700900321");

    expect(await switchSecondFactor({ challengeToken: step.challengeToken, method: "email" })).toEqual({ ok: true });
    expect(await db.loginChallenge.findUniqueOrThrow({ where: { id: step.challengeId } })).toMatchObject({
      pendingFactor: "email",
      codeChannel: "email",
    });
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "code", code: texted, request }),
    ).toMatchObject({ ok: false, error: "invalid_code" });
    const emailed = await lastCode(user.email);
    expect(
      await verifySecondFactor({ challengeToken: step.challengeToken, kind: "code", code: emailed, request }),
    ).toEqual({ ok: true });
  });
});
