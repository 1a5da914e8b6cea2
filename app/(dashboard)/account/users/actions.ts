"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, formText } from "@/app/messages";
import { emailChangedText, invitationResentText, invitationSentText, peopleText } from "@/app/messages/people";
import { getRequestInfo, requireAdmin } from "@/dal";
import { ErrorCode } from "@/lib/errors";
import { DELIVERED_METHODS } from "@/lib/factors/kinds";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { formatDateTime } from "@/lib/format/user-agent";
import { changeEmailAsAdmin } from "@/lib/people/email-change";
import { inviteUser, resendInvitation, revokeInvitation } from "@/lib/people/invitations";
import {
  changeRole,
  expireSessions,
  resetTwoFactor,
  setDisabled,
  setExemption,
  setTwoFactorPreference,
  unlockUser,
} from "@/lib/people/user-admin";
import { requireForm } from "@/lib/platform/action-arguments";
import { normalizeEmail } from "@/lib/sign-in/password-step";

const inviteSchema = z.object({
  name: z.string().trim().min(1, peopleText.nameMissing).max(100, formText.tooLong100),
  email: z.string().trim().max(254, formText.emailTooLong).pipe(z.email(formText.emailInvalid)),
  role: z.enum(["ADMIN", "MEMBER"]),
});

export async function inviteAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["name", "email"]);
  const parsed = inviteSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const { user } = await requireAdmin();
  const result = await inviteUser({
    actor: user,
    ...parsed.data,
    email: normalizeEmail(parsed.data.email),
    request: await getRequestInfo(),
  });
  if (!result.ok) return { ok: false, error: adminErrorText(result.error), values };
  revalidatePath("/account/users");
  return { ok: true, message: invitationSentText(parsed.data.email) };
}

const userAction = z.object({ userId: z.string().min(1).max(64) });

// Each button on the user page posts its own small form; every one re-checks on the
// server that the actor is an admin of the target's account (lib/people/roles.ts).
async function run(
  formData: FormData,
  fn: (options: {
    actor: Awaited<ReturnType<typeof requireAdmin>>["user"];
    userId: string;
    request: Awaited<ReturnType<typeof getRequestInfo>>;
  }) => Promise<{ ok: true } | { ok: false; error: ErrorCode }>,
  message: string,
  // Codes that belong next to one field of the form rather than above it.
  fieldFor: Partial<Record<ErrorCode, string>> = {},
): Promise<FormState> {
  const parsed = userAction.safeParse({ userId: formData.get("userId") });
  if (!parsed.success) return { ok: false, error: adminErrorText(ErrorCode.notFound) };
  const { user } = await requireAdmin();
  const result = await fn({ actor: user, userId: parsed.data.userId, request: await getRequestInfo() });
  if (!result.ok) {
    const field = fieldFor[result.error];
    const error = adminErrorText(result.error);
    return field ? { ok: false, fieldErrors: { [field]: error } } : { ok: false, error };
  }
  revalidatePath(`/account/users/${parsed.data.userId}`);
  return { ok: true, message };
}

export async function unlockAction(_: FormState, formData: FormData) {
  requireForm(formData);
  return run(formData, unlockUser, peopleText.unlocked);
}

export async function resetTwoFactorAction(_: FormState, formData: FormData) {
  requireForm(formData);
  return run(formData, resetTwoFactor, peopleText.twoFactorReset);
}

export async function expireSessionsAction(_: FormState, formData: FormData) {
  requireForm(formData);
  return run(formData, expireSessions, peopleText.sessionsExpired);
}

// The page posts the state to move to, as the text "true" or "false".
const flag = z.enum(["true", "false"]).transform((value) => value === "true");
const disabledSchema = z.object({ disabled: flag });

export async function setDisabledAction(_: FormState, formData: FormData) {
  requireForm(formData);
  const parsed = disabledSchema.safeParse({ disabled: formData.get("disabled") });
  if (!parsed.success) return { ok: false, error: adminErrorText("invalid_input") };
  const { disabled } = parsed.data;
  return run(
    formData,
    (options) => setDisabled({ ...options, disabled }),
    disabled ? peopleText.disabled : peopleText.enabled,
  );
}

const exemptionSchema = z.object({ exempt: flag });

export async function setExemptionAction(_: FormState, formData: FormData) {
  requireForm(formData);
  const parsed = exemptionSchema.safeParse({ exempt: formData.get("exempt") });
  if (!parsed.success) return { ok: false, error: adminErrorText("invalid_input") };
  const { exempt } = parsed.data;
  return run(
    formData,
    (options) => setExemption({ ...options, exempt }),
    exempt ? peopleText.exempted : peopleText.exemptionRemoved,
  );
}

const roleSchema = z.object({ role: z.enum(["ADMIN", "MEMBER"]) });

export async function changeRoleAction(_: FormState, formData: FormData) {
  requireForm(formData);
  const parsed = roleSchema.safeParse({ role: formData.get("role") });
  if (!parsed.success) return { ok: false, error: peopleText.roleMissing };
  return run(formData, (options) => changeRole({ ...options, role: parsed.data.role }), peopleText.roleSaved);
}

const preferenceSchema = z.object({
  method: z.enum(["none", ...DELIVERED_METHODS]),
  phone: z.string().trim().max(100).optional(),
  phoneCountry: z.string().max(2).optional().catch(undefined),
});

export async function setPreferenceAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  // A refused choice is shown again as it was posted, not as it was saved.
  const values = formValues(formData, ["method", "phone"]);
  const parsed = preferenceSchema.safeParse({
    method: formData.get("method"),
    phone: formData.get("phone") ?? undefined,
    phoneCountry: formData.get("phoneCountry") ?? undefined,
  });
  if (!parsed.success) return { ok: false, error: peopleText.methodMissing, values };
  const method = parsed.data.method === "none" ? null : parsed.data.method;
  // The phone fields are posted whatever is checked; they count only for SMS.
  const phone = method === "sms" ? parsed.data.phone || undefined : undefined;
  const phoneCountry = method === "sms" ? parsed.data.phoneCountry : undefined;
  const result = await run(
    formData,
    (options) => setTwoFactorPreference({ ...options, method, phone, phoneCountry }),
    peopleText.preferenceSaved,
    {
      [ErrorCode.invalidPhone]: "phone",
      [ErrorCode.phoneRequired]: "phone",
      [ErrorCode.smsCountryNotAllowed]: "phone",
      [ErrorCode.phoneTypeNotAllowed]: "phone",
    },
  );
  return result.ok ? result : { ...result, values: { ...values, ...formValues(formData, ["phoneCountry"]) } };
}

export async function resendInvitationAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  let expiresAt: Date | undefined;
  const state = await run(
    formData,
    async (options) => {
      const result = await resendInvitation(options);
      if (result.ok) expiresAt = result.expiresAt;
      return result;
    },
    "",
  );
  if (!state.ok || !expiresAt) return state;
  return { ok: true, message: invitationResentText(formatDateTime(expiresAt)) };
}

export async function revokeInvitationAction(_: FormState, formData: FormData) {
  requireForm(formData);
  return run(formData, revokeInvitation, peopleText.invitationRevoked);
}

const emailSchema = z.object({
  email: z.string().trim().max(254, formText.emailTooLong).pipe(z.email(formText.emailInvalid)),
});

export async function changeEmailAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["email"]);
  const parsed = emailSchema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  let outcome = { invitationRevoked: false, notified: false };
  const state = await run(
    formData,
    async (options) => {
      const result = await changeEmailAsAdmin({ ...options, email: parsed.data.email });
      if (result.ok) outcome = result;
      return result;
    },
    "",
    { [ErrorCode.emailTaken]: "email", [ErrorCode.sameEmail]: "email", [ErrorCode.invalidInput]: "email" },
  );
  if (!state.ok) return { ...state, values };
  return { ok: true, message: emailChangedText(outcome) };
}
