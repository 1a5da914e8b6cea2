"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { formText, passwordProblemText } from "@/app/messages";
import { accountText } from "@/app/messages/account";
import { newPasswordSchema } from "@/app/new-password";
import { signIn } from "@/auth";
import { getRequestInfo } from "@/dal";
import { createFirstAccount } from "@/lib/account/first-run";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { normalizeEmail } from "@/lib/sign-in/password-step";

const schema = z
  .object({
    accountName: z.string().trim().min(1, accountText.organisationNameMissing).max(100, formText.tooLong100),
    name: z.string().trim().min(1, formText.nameMissing).max(100, formText.tooLong100),
    email: z.string().trim().max(254, formText.emailTooLong).pipe(z.email(formText.emailInvalid)),
  })
  .and(newPasswordSchema);

export async function setupAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["accountName", "name", "email"]);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const request = await getRequestInfo();
  const result = await createFirstAccount({ ...parsed.data, email: normalizeEmail(parsed.data.email), request });
  if (!result.ok) {
    if (result.error === "weak_password" && "problem" in result)
      return { ok: false, fieldErrors: { password: passwordProblemText[result.problem] }, values };
    redirect("/login");
  }
  // The owner has just proved the password: sign in straight away.
  await signIn("credentials", { challenge: result.challengeToken, redirectTo: "/profile?welcome=1" });
  return { ok: true };
}
