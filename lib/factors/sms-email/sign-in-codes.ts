import crypto from "node:crypto";
import { AuditType, audit } from "@/lib/audit/record";
import {
  DELIVERED_CODE_MAX_SENDS,
  DELIVERED_CODE_MAX_WRONG,
  DELIVERED_CODE_RESEND_MS,
  SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR,
} from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { isDeliveredMethod } from "@/lib/factors/kinds";
import { normalizeOtp } from "@/lib/factors/totp";
import type { Verifier } from "@/lib/factors/verifier";
import type { LoginChallenge, User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { sendSms, smsCountryOf } from "@/lib/messages/sms";
import { keyedHash, keyedHashes, timingSafeEqualHex } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { hourlyQuotaResetsAt, takeHourlyQuota } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { secondFactorLockState } from "@/lib/sign-in/lockout";
import { discardChallenge } from "@/lib/sign-in/login-challenge";
import { takeSmsQuota } from "./sms-caps";

// SMS and email codes (docs/security-model.md, "SMS and email codes"): 6 digits, bound to
// one login challenge (so valid at most its 10 minutes), only a keyed hash stored, at most
// 5 wrong tries before the challenge is dead. Sending is throttled; SMS that cannot be
// delivered falls back to email.
//
// SMS pumping: whoever holds a password can start sign-ins, and each one used to send a
// text at our cost (to premium numbers, for an attacker paid per text). Texts are capped
// per user, per destination country and per account per hour, and go only to the
// countries the account allows; past a cap, or to a country no longer allowed, the code
// goes by email. Emailed codes have their own per-user cap, so a leaked password cannot
// flood a mailbox either.
// The challenge row records where each code went, and the second-step page believes
// only the row.

const PURPOSE = "delivered-code";

// Six random digits, for sign-in codes and for the codes that prove a phone or address.
export function newSixDigitCode() {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
}

function codeHash(challengeId: string, code: string) {
  return keyedHash(`${challengeId}:${code}`, PURPOSE);
}

const emailQuotaKey = (userId: string) => `sign-in-code-email:user:${userId}`;

async function takeEmailQuota(user: Pick<User, "id" | "accountId">, request: RequestInfo | undefined, now: Date) {
  const quota = await takeHourlyQuota({
    key: emailQuotaKey(user.id),
    limit: SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR,
    now,
  });
  if (!quota.ok)
    await audit(db, {
      accountId: user.accountId,
      type: AuditType.signInCodeEmailLimited,
      targetId: user.id,
      request,
      data: { limit: SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR },
    });
  return quota;
}

// When the next sign-in code may be emailed to this user, or null if one may go now.
function nextCodeEmailAt(userId: string, now: Date) {
  return hourlyQuotaResetsAt({ key: emailQuotaKey(userId), limit: SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR, now });
}

// Why an SMS user's code went by email. "sms_failed": the provider refused or timed out;
// "sms_limit": the user's or the account's hourly cap on texts; "sms_country_limit": the
// hourly cap on texts to the number's country; "sms_country": the account no longer
// texts that country.
export const CODE_FALLBACKS = ["sms_failed", "sms_limit", "sms_country_limit", "sms_country"] as const;
type CodeFallback = (typeof CODE_FALLBACKS)[number];

function isCodeFallback(value: string | null): value is CodeFallback {
  return (CODE_FALLBACKS as readonly (string | null)[]).includes(value);
}

export type SendResult =
  | { ok: true; channel: "sms" | "email"; fallback: CodeFallback | null }
  | { ok: false; error: typeof ErrorCode.locked; lockedUntil: Date }
  | { ok: false; error: typeof ErrorCode.throttled | typeof ErrorCode.emailLimit; retryAfterSeconds: number }
  | {
      ok: false;
      error: typeof ErrorCode.tooManySends | typeof ErrorCode.deliveryFailed | typeof ErrorCode.challengeExpired;
    };

export async function sendChallengeCode(options: { challengeId: string; now?: Date }): Promise<SendResult> {
  const now = options.now ?? new Date();
  const challenge = await db.loginChallenge.findUnique({
    where: { id: options.challengeId },
    include: { user: { include: { account: true } } },
  });
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now)
    return { ok: false, error: ErrorCode.challengeExpired };
  const { user } = challenge;
  // A locked user gets no code: the lock would refuse it, and each text costs money.
  const lock = secondFactorLockState(user, now);
  if (lock.locked) return { ok: false, error: ErrorCode.locked, lockedUntil: lock.until };
  if (challenge.codeSendCount >= DELIVERED_CODE_MAX_SENDS) return { ok: false, error: ErrorCode.tooManySends };
  if (challenge.codeSentAt && now.getTime() - challenge.codeSentAt.getTime() < DELIVERED_CODE_RESEND_MS) {
    return {
      ok: false,
      error: ErrorCode.throttled,
      retryAfterSeconds: Math.ceil(
        (DELIVERED_CODE_RESEND_MS - (now.getTime() - challenge.codeSentAt.getTime())) / 1000,
      ),
    };
  }
  // The person the sign-in started for, as the audit trail of a capped send names them.
  const request = challenge.ip ? { ip: challenge.ip, userAgent: challenge.userAgent ?? "" } : undefined;

  // The caps come before the send slot is claimed: once it is, the previous code is gone.
  let channel: "sms" | "email" = "email";
  let fallback: CodeFallback | null = null;
  if (challenge.pendingFactor === "sms") {
    if (!user.phone) fallback = "sms_failed";
    else if (!smsCountryOf(user.account, user.phone).allowed) fallback = "sms_country";
    else {
      const quota = await takeSmsQuota({
        user,
        account: user.account,
        to: user.phone,
        purpose: "sign_in",
        request,
        now,
      });
      if (quota.ok) channel = "sms";
      else fallback = quota.scope === "country" ? "sms_country_limit" : "sms_limit";
    }
  }
  if (channel === "email") {
    const quota = await takeEmailQuota(user, request, now);
    if (!quota.ok) return { ok: false, error: ErrorCode.emailLimit, retryAfterSeconds: quota.retryAfterSeconds };
  }

  const code = newSixDigitCode();
  // Claims the send slot atomically, so two clicks on "Resend" cannot send twice.
  const { count } = await db.loginChallenge.updateMany({
    where: { id: challenge.id, codeSendCount: { lt: DELIVERED_CODE_MAX_SENDS }, codeSentAt: challenge.codeSentAt },
    data: {
      codeHash: codeHash(challenge.id, code),
      codeSentAt: now,
      codeSendCount: { increment: 1 },
      codeChannel: channel,
      codeFallback: fallback,
    },
  });
  if (count !== 1)
    return { ok: false, error: ErrorCode.throttled, retryAfterSeconds: Math.ceil(DELIVERED_CODE_RESEND_MS / 1000) };
  // Corrects what the claim recorded once delivery tells otherwise (this send only).
  const record = (codeChannel: "email" | null, codeFallback: CodeFallback | null) =>
    db.loginChallenge.updateMany({ where: { id: challenge.id, codeSentAt: now }, data: { codeChannel, codeFallback } });

  const message = emails.signInCode({ code });
  if (channel === "sms") {
    const sms = await sendSms({ to: user.phone!, text: message.text, userId: user.id });
    if (sms.ok) return { ok: true, channel: "sms", fallback: null };
    fallback = "sms_failed";
    const quota = await takeEmailQuota(user, request, now);
    if (!quota.ok) {
      await record(null, null);
      return { ok: false, error: ErrorCode.emailLimit, retryAfterSeconds: quota.retryAfterSeconds };
    }
  }
  const email = await sendEmail({ to: user.email, userId: user.id, ...message });
  if (email.ok) {
    if (fallback === "sms_failed") await record("email", fallback);
    return { ok: true, channel: "email", fallback };
  }
  await record(null, null);
  return { ok: false, error: ErrorCode.deliveryFailed };
}

export type FirstSendResult =
  | { ok: true }
  | {
      ok: false;
      error:
        | typeof ErrorCode.tooManySends
        | typeof ErrorCode.deliveryFailed
        | typeof ErrorCode.challengeExpired
        | typeof ErrorCode.throttled;
    };

// The code that goes out as soon as the password step passes (docs/security-model.md, "SMS
// and email codes"), for the web and the API alike: if neither SMS nor email can deliver
// it, the challenge is discarded, so the sign-in stops with no session and nothing left to
// complete. A locked user, or one past the hourly email cap, keeps the challenge: the
// second step says why no code came and until when, and a recovery code still works once no
// lock stands in the way.
export async function sendFirstChallengeCode(options: { challengeId: string }): Promise<FirstSendResult> {
  const sent = await sendChallengeCode(options);
  if (sent.ok || sent.error === "locked" || sent.error === "email_limit") return { ok: true };
  await discardChallenge(options.challengeId);
  return { ok: false, error: sent.error };
}

export type CodeDelivery =
  | { sent: true; channel: "sms" | "email"; fallback: CodeFallback | null }
  | { sent: false; nextCodeAt: Date | null };

// Where the challenge's last code went, as recorded when it was sent, or, when none went
// out, the time the hourly email cap lets the next one go (null: no cap in the way).
export async function readCodeDelivery(
  challenge: Pick<LoginChallenge, "userId" | "codeChannel" | "codeFallback">,
  now = new Date(),
): Promise<CodeDelivery> {
  const { codeChannel, codeFallback } = challenge;
  if (codeChannel === "sms" || codeChannel === "email") {
    const fallback = isCodeFallback(codeFallback) ? codeFallback : null;
    return { sent: true, channel: codeChannel, fallback };
  }
  return { sent: false, nextCodeAt: await nextCodeEmailAt(challenge.userId, now) };
}

// The second step by the code we sent (lib/factors/verifiers.ts): it must match this
// challenge's last code, which is then used up. Wrong codes are counted by the caller with
// every other second-factor failure, and towards the sign-in's five.
export const deliveredCodeVerifier: Verifier = {
  delivered: true,
  // A texted sign-in may have got its code by email (fallback): the row says where it went.
  source: (challenge) => (challenge.codeChannel === "email" || challenge.pendingFactor === "email" ? "email" : "sms"),
  async check({ challenge: { id }, answer }) {
    const code = normalizeOtp(answer.code);
    if (!code) return { ok: false, error: ErrorCode.invalidFormat };
    const { codeHash } = await db.loginChallenge.findUniqueOrThrow({ where: { id } });
    const matches = keyedHashes(`${id}:${code}`, PURPOSE).some(
      (hash) => codeHash && timingSafeEqualHex(hash, codeHash),
    );
    if (!matches) return { ok: false, error: ErrorCode.invalidCode };
    // Single use: the hash is cleared by the same statement that checks it is still there.
    const { count } = await db.loginChallenge.updateMany({ where: { id, codeHash }, data: { codeHash: null } });
    return count === 1 ? { ok: true, code } : { ok: false, error: ErrorCode.invalidCode };
  },
  // A code received by SMS proves the phone number (docs/security-model.md, "SMS and email
  // codes": verified once by a code).
  async redeem(tx, { userId, challenge, now }) {
    if (challenge.pendingFactor === "sms")
      await tx.user.updateMany({ where: { id: userId, phoneVerifiedAt: null }, data: { phoneVerifiedAt: now } });
    return { ok: true };
  },
};

// After five wrong codes the challenge is dead: the person must start again.
export async function endChallengeIfExhausted(options: { challengeId: string; now?: Date }) {
  const { count } = await db.loginChallenge.updateMany({
    where: { id: options.challengeId, consumedAt: null, failedAttempts: { gte: DELIVERED_CODE_MAX_WRONG } },
    data: { consumedAt: options.now ?? new Date() },
  });
  return count === 1;
}

// A sign-in that ended at its fifth wrong code (endChallengeIfExhausted), rather than by
// expiring or being completed or discarded: it ends the moment its count reaches five.
export function endedByWrongCodes(
  challenge: Pick<LoginChallenge, "pendingFactor" | "consumedAt" | "factorVerifiedAt" | "failedAttempts">,
) {
  return (
    isDeliveredMethod(challenge.pendingFactor) &&
    challenge.consumedAt !== null &&
    challenge.factorVerifiedAt === null &&
    challenge.failedAttempts >= DELIVERED_CODE_MAX_WRONG
  );
}
