"use server";

import { after } from "next/server";
import { z } from "zod";
import { formText, retryText } from "@/app/messages";
import { resetLinkSentText, signInText } from "@/app/messages/sign-in";
import { getRequestInfo } from "@/dal";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { logger } from "@/lib/platform/logger";
import { allowPasswordResetRequest, sendPasswordResetLink } from "@/lib/sign-in/password-reset";

const schema = z.object({
  email: z
    .string()
    .trim()
    .min(1, formText.emailMissing)
    .max(254, formText.emailTooLong)
    .regex(/^[^\s@]+@[^\s@]+$/, signInText.resetEmailInvalid),
});

// The same answer for every address, at once: the link is made and sent after the
// response (next/server `after`), so neither the words nor the timing say whether the
// address has an account.
export async function requestResetAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const { email } = parsed.data;
  const request = await getRequestInfo();
  const allowed = await allowPasswordResetRequest({ email, request });
  if (!allowed.ok) return { ok: false, error: retryText(allowed.retryAfterSeconds), values };
  after(() =>
    sendPasswordResetLink({ email, request }).catch((error: Error) =>
      logger.error({ event: "delivery_failed", channel: "email", error: error.name }, "password reset link not sent"),
    ),
  );
  return { ok: true, message: resetLinkSentText(email) };
}
