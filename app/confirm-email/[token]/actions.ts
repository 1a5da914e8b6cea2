"use server";

import { z } from "zod";
import { adminErrorText } from "@/app/messages";
import { emailConfirmedText, profileText } from "@/app/messages/profile";
import { getRequestInfo } from "@/dal";
import type { FormState } from "@/lib/form-state";
import { confirmEmailChange } from "@/lib/people/email-change";
import { requireForm } from "@/lib/platform/action-arguments";

const schema = z.object({ token: z.string().min(1).max(128) });

// The link only opens this page; the change waits for the button, so a mail scanner that
// fetches links does not make it.
export async function confirmEmailChangeAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({ token: formData.get("token") });
  if (!parsed.success) return { ok: false, error: profileText.emailLinkInvalid };
  const result = await confirmEmailChange({ token: parsed.data.token, request: await getRequestInfo() });
  if (!result.ok)
    return {
      ok: false,
      error: result.error === "invalid_or_expired" ? profileText.emailLinkInvalid : adminErrorText(result.error),
    };
  return { ok: true, message: emailConfirmedText(result.newEmail) };
}
