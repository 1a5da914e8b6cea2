// Property: a replayed app code is refused as already used and counted, and every refusal points to where the code came from.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import { type SecondFactorResult, verifySecondFactor } from "@/lib/sign-in/second-step";
import { secondFactorErrorText } from "../../app/messages";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, request } from "../factories";
import { startFakeSmsProvider } from "../fake-server";

// Honest refusals (issue 8, point 7). A replayed app code (seen over a shoulder, or
// phished and used first by the attacker) is refused, counted like any wrong guess, and
// said to be "already used" so the real user waits for the next code instead of
// retyping it. Every refusal names where the code came from, so a person whose text
// fell back to email looks in their mailbox, not at their app.
let fake: Awaited<ReturnType<typeof startFakeSmsProvider>>;

beforeAll(async () => {
  fake = await startFakeSmsProvider();
});

afterAll(() => fake.close());

const T0 = new Date(Date.UTC(2030, 0, 1, 0, 0, 15));
const textOf = (result: SecondFactorResult) => {
  if (result.ok) throw new Error("expected a refusal");
  return secondFactorErrorText(result);
};
const failures = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).failedSecondFactorCount;

async function challengeFor(userId: string, pendingFactor: PendingFactor, now?: Date) {
  const { token, challenge } = await createLoginChallenge(db, { userId, pendingFactor, request, now });
  return { token, id: challenge.id };
}

async function deliveredUser(method: "sms" | "email", phone?: string) {
  const user = await createUser();
  return db.user.update({ where: { id: user.id }, data: { twoFactorMethod: method, phone: phone ?? null } });
}

async function wrongDeliveredCode(userId: string, pendingFactor: "sms" | "email") {
  const { token, id } = await challengeFor(userId, pendingFactor);
  expect((await sendChallengeCode({ challengeId: id })).ok).toBe(true);
  const message = await db.outboundMessage.findFirstOrThrow({
    where: { userId, status: "sent" },
    orderBy: { createdAt: "desc" },
  });
  const code = readMessageBody(message)!.match(/\b(\d{6})\b/)![1];
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  return verifySecondFactor({ challengeToken: token, code: wrong, kind: "code", request });
}

describe("second-step refusals", () => {
  it("says a replayed app code was already used, and counts it", async () => {
    const { user, secret } = await createUserWithTotp({ at: new Date(T0.getTime() - 5 * 60_000) });
    const code = totp(secret, T0.getTime());
    expect(
      await verifySecondFactor({
        challengeToken: (await challengeFor(user.id, "totp", T0)).token,
        code,
        kind: "code",
        request,
        now: T0,
      }),
    ).toEqual({ ok: true });
    const replay = await verifySecondFactor({
      challengeToken: (await challengeFor(user.id, "totp", T0)).token,
      code,
      kind: "code",
      request,
      now: T0,
    });
    expect(replay).toMatchObject({ ok: false, error: "replayed" });
    expect(textOf(replay)).toBe("That code was already used. Wait for the next code in your app.");
    expect(await failures(user.id)).toBe(1);
    // An earlier step than the last one accepted is a replay too.
    const older = await verifySecondFactor({
      challengeToken: (await challengeFor(user.id, "totp", T0)).token,
      code: totp(secret, T0.getTime(), -1),
      kind: "code",
      request,
      now: T0,
    });
    expect(older).toMatchObject({ ok: false, error: "replayed" });
    expect(await failures(user.id)).toBe(2);
  });

  it("sends an app user to the app and a recovery code user to that recovery code", async () => {
    const { user } = await createUserWithTotp({ at: new Date(T0.getTime() - 5 * 60_000) });
    const { token } = await challengeFor(user.id, "totp", T0);
    const app = await verifySecondFactor({ challengeToken: token, code: "000000", kind: "code", request, now: T0 });
    expect(textOf(app)).toContain("Check your app");
    const recovery = await verifySecondFactor({
      challengeToken: token,
      code: "0000-0000-0000-0000",
      kind: "recovery",
      request,
      now: T0,
    });
    expect(textOf(recovery)).toContain("That recovery code is not valid");
    const malformed = await verifySecondFactor({ challengeToken: token, code: "12", kind: "code", request, now: T0 });
    expect(textOf(malformed)).toContain("from your app");
  });

  it("sends an SMS user to their texts, and to their email when the text fell back to it", async () => {
    const texted = await deliveredUser("sms", "+447700900789");
    const wrongText = await wrongDeliveredCode(texted.id, "sms");
    expect(wrongText).toMatchObject({ ok: false, error: "invalid_code", source: "sms" });
    expect(textOf(wrongText)).toContain("Check your texts");
    expect(await failures(texted.id)).toBe(1);

    const { token } = await challengeFor(texted.id, "sms");
    const malformedRecovery = await verifySecondFactor({
      challengeToken: token,
      code: "12",
      kind: "recovery",
      request,
    });
    expect(textOf(malformedRecovery)).toContain("Recovery codes look like");
    expect(textOf(malformedRecovery)).not.toContain("app");

    const fellBack = await deliveredUser("sms", "+447700900000");
    const wrongEmail = await wrongDeliveredCode(fellBack.id, "sms");
    expect(textOf(wrongEmail)).toContain("Check your email");
  });

  it("sends an email user to their email", async () => {
    const user = await deliveredUser("email");
    const wrong = await wrongDeliveredCode(user.id, "email");
    expect(textOf(wrong)).toContain("Check your email");
  });
});
