import crypto from "node:crypto";
import { expect } from "vitest";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { readMessageBody } from "@/lib/messages/outbox";
import { addPasskey } from "@/lib/passkeys/add";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import type { SecondFactorResult } from "@/lib/sign-in/second-step";
import { secondFactorErrorText } from "../../app/messages";
import { totp } from "../../e2e/totp";
import { createUser, request } from "../factories";
import { createSoftAuthenticator } from "../soft-authenticator";

// What the second step's test files share: fixed times, sign-ins waiting for a factor,
// users with a texted method or a passkey.

export const MINUTE = 60_000;
// Halfway through a 30 s step; every time in the app-code tests is relative to it.
export const T0 = new Date(Date.UTC(2030, 0, 1, 0, 0, 15));
export const after = (ms: number) => new Date(T0.getTime() + ms);

export async function challenge(userId: string, now = T0, pendingFactor: PendingFactor = "totp") {
  return (await createLoginChallenge(db, { userId, pendingFactor, request, now })).token;
}

// A well-formed code that the secret does not produce anywhere in the drift window.
export function wrongCode(secret: string, now: Date) {
  const valid = new Set([-1, 0, 1].map((offset) => totp(secret, now.getTime(), offset)));
  return ["000000", "111111", "222222", "333333"].find((code) => !valid.has(code))!;
}

export const userRow = (id: string) => db.user.findUniqueOrThrow({ where: { id } });

// Password-step limits are per IP, and every test file of a run shares the database: an
// address of its own, one of 16 million (one of 250 met another test's now and then).
export const newIp = () => `10.${[0, 0, 0].map(() => crypto.randomInt(256)).join(".")}`;
export const fromNewIp = () => ({ ip: newIp(), userAgent: "vitest" });

export async function smsUser() {
  const user = await createUser();
  const phone = `+4477009${Math.floor(10_000 + Math.random() * 89_999)}`;
  await db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: "sms", phone, phoneVerifiedAt: new Date() },
  });
  return { user, phone };
}

export async function startSignIn(userId: string, pendingFactor: PendingFactor) {
  const { token, challenge } = await createLoginChallenge(db, { userId, pendingFactor, request });
  return { token, id: challenge.id };
}

// Starts a texted sign-in and returns its token with a well-formed code that is not the one sent.
export async function textedSignIn(userId: string, phone: string) {
  const { token, id } = await startSignIn(userId, "sms");
  expect(await sendChallengeCode({ challengeId: id })).toMatchObject({ ok: true, channel: "sms" });
  const message = await db.outboundMessage.findFirstOrThrow({ where: { to: phone }, orderBy: { createdAt: "desc" } });
  const code = readMessageBody(message)!.match(/\d{6}/)![0];
  return { token, id, code, wrong: code === "000000" ? "111111" : "000000" };
}

export const rp = relyingParty();

export async function userWithPasskey(options: { userVerified?: boolean } = {}) {
  const user = await createUser();
  const { session } = await createSession(db, { userId: user.id, request });
  const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
  const registration = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
  const { credential, response } = authenticator.register(registration, { userVerified: options.userVerified });
  const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Laptop", response, request });
  if (!added.ok) throw new Error(`could not add the passkey: ${added.error}`);
  return { user, session, authenticator, credential, added };
}

// The words a refusal shows.
export const textOf = (result: SecondFactorResult) => {
  if (result.ok) throw new Error("expected a refusal");
  return secondFactorErrorText(result);
};
