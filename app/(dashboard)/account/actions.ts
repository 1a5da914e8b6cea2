"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, formText } from "@/app/messages";
import { accountText, enforcementSavedText, rememberSavedText } from "@/app/messages/account";
import { getRequestInfo, requireAdmin } from "@/dal";
import {
  clearAllSessions,
  updateEnforcement,
  updateRememberBrowser,
  updateSessionDuration,
  updateSmsCountries,
  updateSmsPerHour,
} from "@/lib/account/settings";
import { REMEMBER_BROWSER_MAX_DAYS, SMS_PER_ACCOUNT_PER_HOUR_MAX } from "@/lib/config";
import { TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { isCountryCode } from "@/lib/messages/phone";
import { requireForm } from "@/lib/platform/action-arguments";

const enforcementSchema = z.object({
  enabled: z.boolean(),
  graceDays: z.coerce
    .number({ message: formText.days })
    .int(formText.wholeDays)
    .min(0, accountText.graceDaysRange)
    .max(365, accountText.graceDaysRange),
  allowedMethods: z.array(z.enum(TWO_FACTOR_METHODS)).min(1, accountText.methodsMissing),
  lockoutThreshold: z.coerce
    .number({ message: formText.number })
    .int(formText.wholeNumber)
    .min(3, accountText.lockoutRange)
    .max(100, accountText.lockoutRange),
  requirePasskey: z.enum(["off", "admins", "everyone"], { message: accountText.passkeyRequirementMissing }),
});

export async function updateEnforcementAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = enforcementSchema.safeParse({
    enabled: formData.get("enabled") === "on",
    graceDays: formData.get("graceDays"),
    allowedMethods: formData.getAll("methods"),
    lockoutThreshold: formData.get("lockoutThreshold"),
    requirePasskey: formData.get("requirePasskey") ?? "off",
  });
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    if (errors.allowedMethods) errors.methods = errors.allowedMethods;
    return { ok: false, fieldErrors: errors };
  }
  const { user } = await requireAdmin();
  const result = await updateEnforcement({ actor: user, ...parsed.data, request: await getRequestInfo() });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error) };
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: result.emailed ? enforcementSavedText(result.emailed) : formText.saved,
  };
}

const rememberSchema = z.object({
  allowed: z.boolean(),
  days: z.coerce
    .number({ message: formText.days })
    .int(formText.wholeDays)
    .min(1, accountText.rememberDaysRange)
    .max(REMEMBER_BROWSER_MAX_DAYS, accountText.rememberDaysRange),
});

export async function updateRememberBrowserAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["days"]);
  const parsed = rememberSchema.safeParse({ allowed: formData.get("allowed") === "on", days: formData.get("days") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const { user } = await requireAdmin();
  const result = await updateRememberBrowser({ actor: user, ...parsed.data, request: await getRequestInfo() });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error), values };
  revalidatePath("/account");
  return { ok: true, message: rememberSavedText(result.forgotten) };
}

const durationSchema = z.object({
  days: z.coerce
    .number({ message: formText.days })
    .int(formText.wholeDays)
    .min(1, accountText.sessionDaysRange)
    .max(365, accountText.sessionDaysRange),
});

export async function updateSessionDurationAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = durationSchema.safeParse({ days: formData.get("days") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { user } = await requireAdmin();
  const result = await updateSessionDuration({ actor: user, days: parsed.data.days, request: await getRequestInfo() });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error) };
  revalidatePath("/account/advanced");
  return { ok: true, message: formText.saved };
}

const smsSchema = z.object({
  smsPerHour: z.coerce
    .number({ message: formText.number })
    .int(formText.wholeNumber)
    .min(0, accountText.smsPerHourRange)
    .max(SMS_PER_ACCOUNT_PER_HOUR_MAX, accountText.smsPerHourRange),
});

export async function updateSmsPerHourAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = smsSchema.safeParse({ smsPerHour: formData.get("smsPerHour") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { user } = await requireAdmin();
  const result = await updateSmsPerHour({
    actor: user,
    smsPerHour: parsed.data.smsPerHour,
    request: await getRequestInfo(),
  });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error) };
  revalidatePath("/account/advanced");
  return { ok: true, message: formText.saved };
}

const smsCountriesSchema = z.object({
  countries: z.array(z.string().refine(isCountryCode, formText.countries)).max(300, formText.countries),
  perCountryPerHour: z.coerce
    .number({ message: formText.number })
    .int(formText.wholeNumber)
    .min(1, accountText.perCountryRange)
    .max(SMS_PER_ACCOUNT_PER_HOUR_MAX, accountText.perCountryRange),
});

export async function updateSmsCountriesAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["perCountryPerHour"]);
  const parsed = smsCountriesSchema.safeParse({
    countries: formData.getAll("countries"),
    perCountryPerHour: formData.get("perCountryPerHour"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const { user } = await requireAdmin();
  const result = await updateSmsCountries({ actor: user, ...parsed.data, request: await getRequestInfo() });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error), values };
  revalidatePath("/account/advanced");
  return { ok: true, message: formText.saved };
}

const clearSchema = z.object({ revokeTokens: z.literal("on").nullable() });

export async function clearAllSessionsAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = clearSchema.safeParse({ revokeTokens: formData.get("revokeTokens") });
  if (!parsed.success) return;
  const { user } = await requireAdmin();
  await clearAllSessions({
    actor: user,
    revokeTokens: parsed.data.revokeTokens === "on",
    request: await getRequestInfo(),
  });
  // The admin's own session is gone too: the next request lands on the sign-in page.
  revalidatePath("/", "layout");
}
