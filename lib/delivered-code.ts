import crypto from "node:crypto";
import { DELIVERED_CODE_MAX_SENDS, DELIVERED_CODE_MAX_WRONG, DELIVERED_CODE_RESEND_MS } from "./config";
import { keyedHash, keyedHashes, timingSafeEqualHex } from "./crypto";
import { db } from "./db";
import { discardChallenge } from "./login-challenge";
import { sendEmail } from "./mail";
import { sendSms } from "./sms";

// SMS and email codes (SPEC §5): 6 digits, bound to one login challenge (so valid at most
// its 10 minutes), only a keyed hash stored, at most 5 wrong tries before the challenge
// is dead. Sending is throttled; SMS that cannot be delivered falls back to email.

const PURPOSE = "delivered-code";

// Six random digits, for sign-in codes and for the codes that prove a phone or address.
export function newSixDigitCode() {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
}

function codeHash(challengeId: string, code: string) {
  return keyedHash(`${challengeId}:${code}`, PURPOSE);
}

export type SendResult =
  | { ok: true; channel: "sms" | "email"; fellBack: boolean }
  | { ok: false; error: "throttled"; retryAfterSeconds: number }
  | { ok: false; error: "too_many_sends" | "delivery_failed" | "challenge_expired" };

export async function sendChallengeCode(options: { challengeId: string; now?: Date }): Promise<SendResult> {
  const now = options.now ?? new Date();
  const challenge = await db.loginChallenge.findUnique({ where: { id: options.challengeId }, include: { user: true } });
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) return { ok: false, error: "challenge_expired" };
  if (challenge.codeSentAt && now.getTime() - challenge.codeSentAt.getTime() < DELIVERED_CODE_RESEND_MS) {
    return { ok: false, error: "throttled", retryAfterSeconds: Math.ceil((DELIVERED_CODE_RESEND_MS - (now.getTime() - challenge.codeSentAt.getTime())) / 1000) };
  }
  const code = newSixDigitCode();
  // Claims the send slot atomically, so two clicks on "Resend" cannot send twice.
  const { count } = await db.loginChallenge.updateMany({
    where: { id: challenge.id, codeSendCount: { lt: DELIVERED_CODE_MAX_SENDS }, codeSentAt: challenge.codeSentAt },
    data: { codeHash: codeHash(challenge.id, code), codeSentAt: now, codeSendCount: { increment: 1 } },
  });
  if (count !== 1) return challenge.codeSendCount >= DELIVERED_CODE_MAX_SENDS ? { ok: false, error: "too_many_sends" } : { ok: false, error: "throttled", retryAfterSeconds: 30 };

  const text = `Your StrongSign sign-in code is ${code}. It expires in 10 minutes. If you did not try to sign in, change your password.`;
  const user = challenge.user;
  if (challenge.pendingFactor === "sms" && user.phone) {
    const sms = await sendSms({ to: user.phone, text, userId: user.id });
    if (sms.ok) return { ok: true, channel: "sms", fellBack: false };
  }
  const email = await sendEmail({ to: user.email, subject: "Your StrongSign sign-in code", text, userId: user.id });
  if (email.ok) return { ok: true, channel: "email", fellBack: challenge.pendingFactor === "sms" };
  return { ok: false, error: "delivery_failed" };
}

// The code that goes out as soon as the password step passes (SPEC §5), for the web and
// the API alike: if neither SMS nor email can deliver it, the challenge is discarded, so
// the sign-in stops with no session and nothing left to complete.
export async function sendFirstChallengeCode(options: { challengeId: string }): Promise<SendResult> {
  const sent = await sendChallengeCode(options);
  if (!sent.ok) await discardChallenge(options.challengeId);
  return sent;
}

// True when the code matches this challenge's last sent code, which is then used up.
// Wrong codes are counted by the caller with every other second-factor failure.
export async function useChallengeCode(options: { challengeId: string; code: string }): Promise<boolean> {
  const challenge = await db.loginChallenge.findUniqueOrThrow({ where: { id: options.challengeId } });
  if (!challenge.codeHash) return false;
  const matches = keyedHashes(`${challenge.id}:${options.code}`, PURPOSE).some((hash) => timingSafeEqualHex(hash, challenge.codeHash!));
  if (!matches) return false;
  // Single use: the hash is cleared by the same statement that checks it is still there.
  const { count } = await db.loginChallenge.updateMany({ where: { id: challenge.id, codeHash: challenge.codeHash }, data: { codeHash: null } });
  return count === 1;
}

// After five wrong codes the challenge is dead: the person must start again.
export async function endChallengeIfExhausted(options: { challengeId: string; now?: Date }) {
  const { count } = await db.loginChallenge.updateMany({
    where: { id: options.challengeId, consumedAt: null, failedAttempts: { gte: DELIVERED_CODE_MAX_WRONG } },
    data: { consumedAt: options.now ?? new Date() },
  });
  return count === 1;
}
