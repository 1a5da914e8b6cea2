"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, formText, retryText, SUDO_EXPIRED_TEXT } from "@/app/messages";
import { emailLinkSentText } from "@/app/messages/profile";
import { getRequestInfo, requireSudo } from "@/dal";
import { EMAIL_CHANGE_TTL_MS } from "@/lib/config";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { formatDuration } from "@/lib/messages/emails";
import { requestEmailChange } from "@/lib/people/email-change";
import { requireForm } from "@/lib/platform/action-arguments";

const schema = z.object({
  email: z.string().trim().max(254, formText.emailTooLong).pipe(z.email(formText.emailInvalid)),
});

export async function requestEmailChangeAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const session = await requireSudo();
  if (!session) return { ok: false, error: SUDO_EXPIRED_TEXT, values };
  const result = await requestEmailChange({
    userId: session.userId,
    newEmail: parsed.data.email,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    if (result.error === "rate_limited") return { ok: false, error: retryText(result.retryAfterSeconds), values };
    const text = result.error === "invalid_input" ? formText.emailInvalid : adminErrorText(result.error);
    return { ok: false, fieldErrors: { email: text }, values };
  }
  revalidatePath("/profile/email");
  return { ok: true, message: emailLinkSentText(result.newEmail, formatDuration(EMAIL_CHANGE_TTL_MS)) };
}
