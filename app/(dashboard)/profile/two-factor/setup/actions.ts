"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { checkStepUp, parseStepUpForm, stepUpFormErrors } from "@/app/(dashboard)/profile/step-up";
import {
  codeNotSentText,
  formText,
  INVALID_PHONE_TEXT,
  phoneTypeText,
  resendWaitText,
  smsCountryLimitText,
  smsCountryText,
  smsLimitText,
  tryAgainText,
} from "@/app/messages";
import { setupCodesLimitText, twoFactorText } from "@/app/messages/two-factor";
import { type CurrentSession, getRequestInfo, requireSudo, requireUser } from "@/dal";
import { allowedMethods } from "@/lib/account/policy";
import { DELIVERED_METHODS, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/factors/kinds";
import { confirmDeliveredSetup, resendDeliveredSetupCode, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { confirmTotpSetup, createTotpSetup } from "@/lib/factors/totp";
import { type FormState, formValues } from "@/lib/form-state";
import { authenticationResponseSchema } from "@/lib/passkeys/relying-party";
import { parseArgument, requireForm } from "@/lib/platform/action-arguments";

const methodSchema = z.enum(TWO_FACTOR_METHODS).catch("totp");

// Past the password step, a setup whose password has gone stale starts again at step 1.
const sudoForSetup = { duringEnrollment: true, redirectTo: "/profile/two-factor/setup" };

async function startTotp(userId: string): Promise<never> {
  await createTotpSetup({ userId });
  redirect("/profile/two-factor/setup?step=scan");
}

// Step 1: confirming it's you, always, with any way the user has (docs/security-model.md,
// "Sessions and sudo mode"). Then the method asked for, if the account allows it, else the
// first one it allows; an app setup starts at once.
async function startMethod(session: CurrentSession, wanted: TwoFactorMethod): Promise<FormState> {
  const allowed = allowedMethods(session.user.account);
  const method = allowed.includes(wanted) ? wanted : allowed[0];
  if (!method) return { ok: false, error: twoFactorText.noMethodAllowed };
  if (method === "totp") return startTotp(session.userId);
  redirect(`/profile/two-factor/setup?step=${method}`);
}

const setupPageOf = (method: TwoFactorMethod) => `/profile/two-factor/setup?method=${method}`;

// By the password or an app code.
export async function startSetupAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const wanted = methodSchema.parse(formData.get("method"));
  const parsed = parseStepUpForm(formData);
  if (!parsed.success) return stepUpFormErrors(parsed.error);
  const session = await requireUser({ duringEnrollment: true });
  const failed = await checkStepUp(session, parsed.data, await getRequestInfo(), setupPageOf(wanted));
  return failed ?? startMethod(session, wanted);
}

// By a passkey's answer to stepUpPasskeyOptionsAction's request.
export async function startSetupWithPasskeyAction(values: unknown, answer: unknown): Promise<FormState> {
  const { method } = parseArgument(z.object({ method: z.enum(TWO_FACTOR_METHODS) }), values);
  const response = parseArgument(authenticationResponseSchema, answer);
  const session = await requireUser({ duringEnrollment: true });
  const failed = await checkStepUp(session, { way: "passkey", response }, await getRequestInfo(), setupPageOf(method));
  return failed ?? startMethod(session, method);
}

// "Use an authenticator app instead", from the SMS or email steps.
export async function startTotpAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const session = await requireSudo(sudoForSetup);
  if (!allowedMethods(session.user.account).includes("totp")) redirect("/profile/two-factor/setup");
  await startTotp(session.userId);
}

export type ConfirmState = FormState & { recoveryCodes?: string[] };

const codeSchema = z.object({ code: z.string().max(1000).catch("") });

// Step 3 for an app: the current code turns the pending setup into active 2FA. This
// browser stays signed in; every other session ends.
export async function confirmSetupAction(_: ConfirmState, formData: FormData): Promise<ConfirmState> {
  requireForm(formData);
  const { code } = codeSchema.parse({ code: formData.get("code") ?? "" });
  const session = await requireUser({ duringEnrollment: true });
  const result = await confirmTotpSetup({
    userId: session.userId,
    code,
    keepSessionId: session.id,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    if (result.error === "setup_expired") return { ok: false, error: twoFactorText.appSetupExpired };
    return { ok: false, fieldErrors: { code: formText.appCodeInvalid } };
  }
  if (!result.recoveryCodes) redirect("/profile?twofactor=added");
  return { ok: true, recoveryCodes: result.recoveryCodes };
}

// Past an hourly cap on texts. The cap per country is filled by everyone's texts, not only
// this person's, so it has words of its own.
function setupSmsLimitText(result: { retryAfterSeconds: number; country: boolean }) {
  return result.country ? smsCountryLimitText(result.retryAfterSeconds) : smsLimitText(result.retryAfterSeconds);
}

// A phone number too long to be one is treated like any other invalid number.
const sendSchema = z.object({
  method: z.enum(DELIVERED_METHODS),
  phone: z.string().max(100).optional().catch(""),
  phoneCountry: z.string().max(2).optional().catch(undefined),
});

// Step 2 for SMS or email: send a code to the phone number or the user's address.
export async function sendSetupCodeAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = sendSchema.safeParse({
    method: formData.get("method"),
    phone: formData.get("phone") ?? undefined,
    phoneCountry: formData.get("phoneCountry") ?? undefined,
  });
  if (!parsed.success) return { ok: false, error: twoFactorText.deliveredMethodMissing };
  const session = await requireSudo(sudoForSetup);
  const result = await startDeliveredSetup({
    userId: session.userId,
    method: parsed.data.method,
    phone: parsed.data.phone,
    phoneCountry: parsed.data.phoneCountry,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    const values = formValues(formData, ["phone", "phoneCountry"]);
    switch (result.error) {
      case "invalid_phone":
        return { ok: false, fieldErrors: { phone: INVALID_PHONE_TEXT }, values };
      case "phone_type_not_allowed":
        return { ok: false, fieldErrors: { phone: phoneTypeText(result.phoneType) }, values };
      case "sms_country_not_allowed":
        return { ok: false, fieldErrors: { phone: smsCountryText(result.country, result.allowed) }, values };
      case "method_not_allowed":
        return { ok: false, error: formText.methodNotAllowed };
      case "rate_limited":
        return { ok: false, error: setupCodesLimitText(tryAgainText(result.retryAfterSeconds)) };
      case "sms_limit":
        return { ok: false, error: setupSmsLimitText(result), values };
      default:
        return {
          ok: false,
          values,
          error: parsed.data.method === "sms" ? codeNotSentText.setupSms : codeNotSentText.setupEmail,
        };
    }
  }
  redirect("/profile/two-factor/setup?step=verify");
}

export async function resendSetupCodeAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const session = await requireUser({ duringEnrollment: true });
  const result = await resendDeliveredSetupCode({ userId: session.userId, request: await getRequestInfo() });
  if (result.ok) return { ok: true, message: twoFactorText.codeResent };
  switch (result.error) {
    case "rate_limited":
      return { ok: false, error: resendWaitText(result.retryAfterSeconds) };
    case "sms_limit":
      return { ok: false, error: setupSmsLimitText(result) };
    case "phone_type_not_allowed":
      return { ok: false, error: phoneTypeText(result.phoneType) };
    case "sms_country_not_allowed":
      return { ok: false, error: smsCountryText(result.country, result.allowed) };
    case "too_many_sends":
      return { ok: false, error: twoFactorText.tooManySends };
    case "setup_expired":
      return { ok: false, error: twoFactorText.setupExpired };
    default:
      return { ok: false, error: codeNotSentText.setupResend };
  }
}

// Step 3 for SMS or email: the code that arrived turns the method on.
export async function confirmDeliveredSetupAction(_: ConfirmState, formData: FormData): Promise<ConfirmState> {
  requireForm(formData);
  const { code } = codeSchema.parse({ code: formData.get("code") ?? "" });
  const session = await requireUser({ duringEnrollment: true });
  const result = await confirmDeliveredSetup({
    userId: session.userId,
    code,
    keepSessionId: session.id,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    switch (result.error) {
      case "invalid_code":
        return { ok: false, fieldErrors: { code: twoFactorText.sentCodeInvalid } };
      case "too_many_attempts":
        return { ok: false, error: twoFactorText.tooManyWrongCodes };
      case "method_not_allowed":
        return { ok: false, error: formText.methodNotAllowed };
      case "phone_type_not_allowed":
        return { ok: false, error: phoneTypeText(result.phoneType) };
      case "sms_country_not_allowed":
        return { ok: false, error: smsCountryText(result.country, result.allowed) };
      default:
        return { ok: false, error: twoFactorText.sentCodeExpired };
    }
  }
  if (!result.recoveryCodes) redirect("/profile?twofactor=added");
  return { ok: true, recoveryCodes: result.recoveryCodes };
}
