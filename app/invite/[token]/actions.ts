"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { passwordProblemText } from "@/app/messages";
import { signInText } from "@/app/messages/sign-in";
import { newPasswordSchema } from "@/app/new-password";
import { getRequestInfo } from "@/dal";
import { type FormState, fieldErrorsOf } from "@/lib/form-state";
import { acceptInvitation } from "@/lib/people/invitations";
import { requireForm } from "@/lib/platform/action-arguments";
import { rememberLoginEmail } from "@/lib/sign-in/login-hint";

const schema = z.object({ token: z.string().min(1).max(128) }).and(newPasswordSchema);

export async function acceptInvitationAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await acceptInvitation({
    token: parsed.data.token,
    password: parsed.data.password,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    if (result.error === "weak_password" && "problem" in result && result.problem)
      return { ok: false, fieldErrors: { password: passwordProblemText[result.problem] } };
    return { ok: false, error: signInText.invitationLinkInvalid };
  }
  await rememberLoginEmail(result.email);
  // Setting the password is not signing in: the new user signs in (and meets any 2FA
  // requirement) through the normal flow.
  redirect("/login?reason=password-set");
}
