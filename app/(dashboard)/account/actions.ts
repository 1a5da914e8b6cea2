"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, formText } from "@/app/messages";
import { getRequestInfo, requireAdmin } from "@/dal";
import {
  clearAllSessions,
  updateEnforcement,
  updateSessionDuration,
  updateSmsCountries,
  updateSmsPerHour,
} from "@/lib/account/settings";
import { SMS_PER_ACCOUNT_PER_HOUR_MAX } from "@/lib/config";
import { TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { isCountryCode } from "@/lib/messages/phone";
import { requireForm } from "@/lib/platform/action-arguments";

const enforcementSchema = z.object({
  enabled: z.boolean(),
  graceDays: z.coerce
    .number({ message: formText.days })
    .int(formText.wholeDays)
    .min(0, "Use 0 to 365 days.")
    .max(365, "Use 0 to 365 days."),
  allowedMethods: z.array(z.enum(TWO_FACTOR_METHODS)).min(1, "Allow at least one method."),
  lockoutThreshold: z.coerce
    .number({ message: formText.number })
    .int(formText.wholeNumber)
    .min(3, "Use 3 to 100 attempts.")
    .max(100, "Use 3 to 100 attempts."),
  requirePasskey: z.enum(["off", "admins", "everyone"], { message: "Choose who must use a passkey." }),
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
    message: result.emailed
      ? `Saved. ${result.emailed} user${result.emailed === 1 ? " without the required method was" : "s without the required method were"} emailed.`
      : formText.saved,
  };
}

const durationSchema = z.object({
  days: z.coerce
    .number({ message: formText.days })
    .int(formText.wholeDays)
    .min(1, "Use 1 to 365 days.")
    .max(365, "Use 1 to 365 days."),
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
    .min(0, `Use 0 to ${SMS_PER_ACCOUNT_PER_HOUR_MAX.toLocaleString("en-GB")} texts.`)
    .max(SMS_PER_ACCOUNT_PER_HOUR_MAX, `Use 0 to ${SMS_PER_ACCOUNT_PER_HOUR_MAX.toLocaleString("en-GB")} texts.`),
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

const perCountryRange = `Use 1 to ${SMS_PER_ACCOUNT_PER_HOUR_MAX.toLocaleString("en-GB")} texts.`;
const smsCountriesSchema = z.object({
  countries: z.array(z.string().refine(isCountryCode, formText.countries)).max(300, formText.countries),
  perCountryPerHour: z.coerce
    .number({ message: formText.number })
    .int(formText.wholeNumber)
    .min(1, perCountryRange)
    .max(SMS_PER_ACCOUNT_PER_HOUR_MAX, perCountryRange),
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
