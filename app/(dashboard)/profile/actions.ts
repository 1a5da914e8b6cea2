"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formText, passwordProblemText } from "@/app/messages";
import { passwordChangedText, profileText } from "@/app/messages/profile";
import { newPasswordSchema } from "@/app/new-password";
import { getRequestInfo, requireUser } from "@/dal";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { changePassword, signOutOtherSessions, signOutSession, updateName } from "@/lib/people/profile";
import { requireForm } from "@/lib/platform/action-arguments";

const nameSchema = z.object({
  name: z.string().trim().min(1, formText.nameMissing).max(100, formText.tooLong100),
});

export async function updateNameAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = nameSchema.safeParse({ name: formData.get("name") });
  if (!parsed.success)
    return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values: formValues(formData, ["name"]) };
  const session = await requireUser();
  await updateName({ userId: session.userId, name: parsed.data.name, request: await getRequestInfo() });
  revalidatePath("/", "layout");
  return { ok: true, message: profileText.nameSaved };
}

const passwordSchema = z
  .object({
    currentPassword: z
      .string()
      .min(1, profileText.currentPasswordMissing)
      .max(PASSWORD_MAX_LENGTH, formText.currentPasswordWrong),
  })
  .and(newPasswordSchema);

export async function changePasswordAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  // The form posts the new password as newPassword, beside currentPassword.
  const parsed = passwordSchema.safeParse({
    currentPassword: formData.get("currentPassword"),
    password: formData.get("newPassword"),
    confirmPassword: formData.get("confirmPassword"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const session = await requireUser();
  const result = await changePassword({
    userId: session.userId,
    sessionId: session.id,
    currentPassword: parsed.data.currentPassword,
    newPassword: parsed.data.password,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    if (result.error === "wrong_password")
      return { ok: false, fieldErrors: { currentPassword: formText.currentPasswordWrong } };
    return {
      ok: false,
      fieldErrors: {
        password:
          "problem" in result && result.problem ? passwordProblemText[result.problem] : profileText.passwordRefused,
      },
    };
  }
  revalidatePath("/profile");
  return { ok: true, message: passwordChangedText(result.sessionsEnded) };
}

const sessionSchema = z.object({ sessionId: z.string().min(1).max(64) });

export async function revokeSessionAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = sessionSchema.safeParse({ sessionId: formData.get("sessionId") });
  if (!parsed.success) return;
  const session = await requireUser();
  if (parsed.data.sessionId === session.id) return;
  await signOutSession({
    userId: session.userId,
    accountId: session.user.accountId,
    sessionId: parsed.data.sessionId,
    request: await getRequestInfo(),
  });
  revalidatePath("/profile");
}

const otherSessionsSchema = z.object({ revokeTokens: z.literal("on").nullable() });

export async function revokeOtherSessionsAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = otherSessionsSchema.safeParse({ revokeTokens: formData.get("revokeTokens") });
  if (!parsed.success) return;
  const session = await requireUser();
  await signOutOtherSessions({
    userId: session.userId,
    accountId: session.user.accountId,
    keepSessionId: session.id,
    revokeTokens: parsed.data.revokeTokens === "on",
    request: await getRequestInfo(),
  });
  revalidatePath("/profile");
}
