import { allowedMethods } from "@/lib/account/policy";
import { AuditType, audit } from "@/lib/audit/record";
import {
  DELIVERED_CODE_MAX_SENDS,
  DELIVERED_CODE_MAX_WRONG,
  DELIVERED_CODE_RESEND_MS,
  DELIVERED_CODE_SETUP_TTL_MS,
  SETUP_CODE_SENDS_PER_HOUR,
} from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { addSecondFactor } from "@/lib/factors/enrolled";
import type { DeliveredMethod } from "@/lib/factors/kinds";
import { normalizeOtp } from "@/lib/factors/totp";
import type { Account, DeliveredCodeSetup, User } from "@/lib/generated/sqlite/client";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { maskPhone, parsePhone } from "@/lib/messages/phone";
import { checkNewSmsNumber, type NewSmsNumberCheck, sendSms } from "@/lib/messages/sms";
import { keyedHash, keyedHashes, timingSafeEqualHex } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import { takeHourlyQuota } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { newSixDigitCode } from "./sign-in-codes";
import { takeSmsQuota } from "./sms-caps";

// "Authentication by SMS" and "Authentication by Email" chosen in My Profile
// (docs/security-model.md, "SMS and email codes"). A 6-digit code sent to the phone number
// or address proves it before the method is active; only its keyed hash is stored. Like an
// authenticator setup, a pending one changes nothing and is replaced by the next. Texts
// cost money, so sends are limited per setup and per user per hour, and texts share the
// hourly SMS caps of sign-in (per user, per country and per account, against SMS pumping).
// Past those a setup is refused: proving a phone has no email fallback. A number must be
// one the account texts: in a country it allows, and not premium-rate, shared-cost or the
// like (lib/messages/sms.ts), when the code is sent and again when it is confirmed, for the
// admins may narrow the countries in between.

const PURPOSE = "delivered-code-setup";

// Bound to the user and the destination, so a code sent to one number proves no other.
const codeInput = (setup: Pick<DeliveredCodeSetup, "userId" | "destination">, code: string) =>
  `${setup.userId}:${setup.destination}:${code}`;

async function deliver(setup: Pick<DeliveredCodeSetup, "method" | "destination" | "userId">, code: string) {
  const message = emails.verificationCode({ code });
  if (setup.method === "sms") return sendSms({ to: setup.destination, text: message.text, userId: setup.userId });
  return sendEmail({ to: setup.destination, userId: setup.userId, ...message });
}

type QuotaRefusal =
  | { ok: false; error: typeof ErrorCode.rateLimited; retryAfterSeconds: number }
  // `country`: the cap on texts to the number's country, else the user's or the account's.
  | { ok: false; error: typeof ErrorCode.smsLimit; retryAfterSeconds: number; country: boolean };

type NumberRefusal = Exclude<NewSmsNumberCheck, { ok: true }>;

// Every setup code counts per user; a text also against the SMS caps.
async function sendQuota(options: {
  user: Pick<User, "id" | "accountId">;
  account: Pick<Account, "smsPerHour" | "smsPerCountryPerHour">;
  method: string;
  destination: string;
  request?: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | QuotaRefusal> {
  const { user, now } = options;
  const quota = await takeHourlyQuota({ key: `setup-code:user:${user.id}`, limit: SETUP_CODE_SENDS_PER_HOUR, now });
  if (!quota.ok) return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds: quota.retryAfterSeconds };
  if (options.method !== "sms") return quota;
  const sms = await takeSmsQuota({
    user,
    account: options.account,
    to: options.destination,
    purpose: "setup",
    request: options.request,
    now,
  });
  if (sms.ok) return sms;
  return {
    ok: false,
    error: ErrorCode.smsLimit,
    retryAfterSeconds: sms.retryAfterSeconds,
    country: sms.scope === "country",
  };
}

// A phone number must pass the account's rules on where texts go; an address always does.
function checkDestination(account: Pick<Account, "smsCountries">, method: string, destination: string) {
  return method === "sms" ? checkNewSmsNumber(account, destination) : ({ ok: true } as const);
}

export type StartResult =
  | { ok: true; destination: string }
  | {
      ok: false;
      error: typeof ErrorCode.methodNotAllowed | typeof ErrorCode.invalidPhone | typeof ErrorCode.deliveryFailed;
    }
  | NumberRefusal
  | QuotaRefusal;

// Starts (or restarts) a setup and sends its first code. SMS never falls back to email
// here: the point is to prove the phone. If the code cannot be sent, no setup is left.
export async function startDeliveredSetup(options: {
  userId: string;
  method: DeliveredMethod;
  phone?: unknown;
  // The country a national number is read in (ISO 3166 code); a number with + needs none.
  phoneCountry?: unknown;
  request?: RequestInfo;
  now?: Date;
}): Promise<StartResult> {
  const { userId, method } = options;
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
  if (!allowedMethods(user.account).includes(method)) return { ok: false, error: ErrorCode.methodNotAllowed };
  const destination = method === "sms" ? parsePhone(options.phone, options.phoneCountry) : user.email;
  if (!destination) return { ok: false, error: ErrorCode.invalidPhone };
  const allowed = checkDestination(user.account, method, destination);
  if (!allowed.ok) return allowed;
  const quota = await sendQuota({ user, account: user.account, method, destination, request: options.request, now });
  if (!quota.ok) return quota;

  const code = newSixDigitCode();
  const pending = {
    method,
    destination,
    codeHash: keyedHash(codeInput({ userId, destination }, code), PURPOSE),
    codeSentAt: now,
    codeSendCount: 1,
    failedAttempts: 0,
    createdAt: now,
    expiresAt: new Date(now.getTime() + DELIVERED_CODE_SETUP_TTL_MS),
  };
  const setup = await db.deliveredCodeSetup.upsert({
    where: { userId },
    create: { userId, ...pending },
    update: pending,
  });
  const sent = await deliver(setup, code);
  if (sent.ok) return { ok: true, destination };
  await db.deliveredCodeSetup.deleteMany({ where: { id: setup.id } });
  return { ok: false, error: ErrorCode.deliveryFailed };
}

// The pending setup to ask a code for, or null when there is none or it has expired.
export async function readDeliveredSetup(options: {
  userId: string;
  now?: Date;
}): Promise<{ method: DeliveredMethod; destination: string } | null> {
  const setup = await db.deliveredCodeSetup.findUnique({ where: { userId: options.userId } });
  if (!setup || setup.expiresAt <= (options.now ?? new Date())) return null;
  return { method: setup.method === "sms" ? "sms" : "email", destination: setup.destination };
}

export type ResendResult =
  | { ok: true }
  | {
      ok: false;
      error: typeof ErrorCode.setupExpired | typeof ErrorCode.tooManySends | typeof ErrorCode.deliveryFailed;
    }
  | NumberRefusal
  | QuotaRefusal;

export async function resendDeliveredSetupCode(options: {
  userId: string;
  request?: RequestInfo;
  now?: Date;
}): Promise<ResendResult> {
  const now = options.now ?? new Date();
  const setup = await db.deliveredCodeSetup.findUnique({
    where: { userId: options.userId },
    include: { user: { include: { account: true } } },
  });
  if (!setup || setup.expiresAt <= now) return { ok: false, error: ErrorCode.setupExpired };
  if (setup.codeSendCount >= DELIVERED_CODE_MAX_SENDS) return { ok: false, error: ErrorCode.tooManySends };
  const since = setup.codeSentAt ? now.getTime() - setup.codeSentAt.getTime() : Infinity;
  if (since < DELIVERED_CODE_RESEND_MS)
    return {
      ok: false,
      error: ErrorCode.rateLimited,
      retryAfterSeconds: Math.ceil((DELIVERED_CODE_RESEND_MS - since) / 1000),
    };
  const allowed = checkDestination(setup.user.account, setup.method, setup.destination);
  if (!allowed.ok) return allowed;
  // The hourly quota first: once the slot below is claimed the old code is gone, so
  // nothing may stop the new one from going out but the provider.
  const quota = await sendQuota({
    user: setup.user,
    account: setup.user.account,
    method: setup.method,
    destination: setup.destination,
    request: options.request,
    now,
  });
  if (!quota.ok) return quota;
  const code = newSixDigitCode();
  // Claims the send atomically, so two clicks on "Resend" cannot send twice.
  const { count } = await db.deliveredCodeSetup.updateMany({
    where: { id: setup.id, codeSentAt: setup.codeSentAt, codeSendCount: { lt: DELIVERED_CODE_MAX_SENDS } },
    data: { codeHash: keyedHash(codeInput(setup, code), PURPOSE), codeSentAt: now, codeSendCount: { increment: 1 } },
  });
  if (count !== 1)
    return { ok: false, error: ErrorCode.rateLimited, retryAfterSeconds: Math.ceil(DELIVERED_CODE_RESEND_MS / 1000) };
  return (await deliver(setup, code)).ok ? { ok: true } : { ok: false, error: ErrorCode.deliveryFailed };
}

export type ConfirmResult =
  | { ok: true; method: DeliveredMethod; recoveryCodes: string[] | null }
  | {
      ok: false;
      error:
        | typeof ErrorCode.invalidCode
        | typeof ErrorCode.setupExpired
        | typeof ErrorCode.tooManyAttempts
        | typeof ErrorCode.methodNotAllowed;
    }
  | NumberRefusal;

// The right code adds the method to the user's second factors (a new phone number
// replaces the old one). Someone turning 2FA on gets recovery codes, as with an app;
// someone with other methods keeps the codes they have (new ones only if none are left).
// As with any new method (addSecondFactor), every session but `keepSessionId` and every
// half-finished sign-in ends; personal access tokens stay.
export async function confirmDeliveredSetup(options: {
  userId: string;
  code: string;
  keepSessionId?: string;
  request: RequestInfo;
  now?: Date;
}): Promise<ConfirmResult> {
  const { userId, request } = options;
  const now = options.now ?? new Date();
  const setup = await db.deliveredCodeSetup.findUnique({
    where: { userId },
    include: { user: { include: { account: true } } },
  });
  if (!setup || setup.expiresAt <= now || !setup.codeHash) return { ok: false, error: ErrorCode.setupExpired };
  const method: DeliveredMethod = setup.method === "sms" ? "sms" : "email";
  const { user } = setup;
  if (!allowedMethods(user.account).includes(method)) return { ok: false, error: ErrorCode.methodNotAllowed };
  const allowed = checkDestination(user.account, method, setup.destination);
  if (!allowed.ok) return allowed;

  const code = normalizeOtp(options.code);
  const matches =
    code !== null &&
    keyedHashes(codeInput(setup, code), PURPOSE).some((hash) => timingSafeEqualHex(hash, setup.codeHash!));
  if (!matches) {
    const failed = await db.deliveredCodeSetup
      .update({ where: { id: setup.id }, data: { failedAttempts: { increment: 1 } } })
      .catch(() => null);
    if (!failed || failed.failedAttempts < DELIVERED_CODE_MAX_WRONG) return { ok: false, error: ErrorCode.invalidCode };
    await db.deliveredCodeSetup.deleteMany({ where: { id: setup.id } });
    return { ok: false, error: ErrorCode.tooManyAttempts };
  }

  const had = method === "sms" ? user.smsEnabledAt !== null : user.emailCodesEnabledAt !== null;
  const confirmed = await db.$transaction(async (tx) => {
    // Deleting the setup with the code it was checked against claims it: a resent code or
    // a simultaneous confirmation makes this one confirm nothing.
    const { count } = await tx.deliveredCodeSetup.deleteMany({ where: { id: setup.id, codeHash: setup.codeHash } });
    if (count !== 1) return undefined;
    if (method === "sms")
      await tx.user.update({ where: { id: userId }, data: { phone: setup.destination, phoneVerifiedAt: now } });
    const { first, sessionsEnded, recoveryCodes } = await addSecondFactor(tx, {
      userId,
      method,
      keepSessionId: options.keepSessionId,
      now,
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.twoFactorEnabled,
      actorId: userId,
      targetId: userId,
      request,
      // The number masked, as every page shows it: the log is read by admins too.
      data: {
        method,
        ...(method === "sms" ? { phone: maskPhone(setup.destination) } : {}),
        replaced: had,
        sessionsEnded,
      },
    });
    return { recoveryCodes, change: had ? "replaced" : first ? "first" : "added" } as const;
  });
  if (!confirmed) return { ok: false, error: ErrorCode.setupExpired };

  await sendEmail({
    to: user.email,
    userId,
    ...emails.deliveredMethodEnabled({
      name: user.name,
      method,
      destination: setup.destination,
      change: confirmed.change,
    }),
  });
  return { ok: true, method, recoveryCodes: confirmed.recoveryCodes };
}
