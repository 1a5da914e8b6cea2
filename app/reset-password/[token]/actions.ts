"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { passwordProblemText } from "@/app/messages";
import { signInText } from "@/app/messages/sign-in";
import { newPasswordSchema } from "@/app/new-password";
import { getRequestInfo } from "@/dal";
import { type FormState, fieldErrorsOf } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { resetPassword } from "@/lib/sign-in/password-reset";

const schema = z.object({ token: z.string().min(1).max(128) }).and(newPasswordSchema);

export async function resetPasswordAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({
    token: formData.get("token"),
    password: formData.get("password"),
    confirmPassword: formData.get("confirmPassword"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await resetPassword({
    token: parsed.data.token,
    password: parsed.data.password,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    if (result.error === "weak_password")
      return { ok: false, fieldErrors: { password: passwordProblemText[result.problem] } };
    return { ok: false, error: signInText.resetLinkInvalid };
  }
  // A reset never signs anyone in: the normal sign-in, second step included, follows.
  redirect("/login?reason=password-reset");
}
