"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { passwordAgainSchema } from "@/app/(dashboard)/profile/step-up";
import { formText, retryText } from "@/app/messages";
import { twoFactorText } from "@/app/messages/two-factor";
import { getRequestInfo, requireUser } from "@/dal";
import { disableTwoFactor } from "@/lib/factors/removal";
import { type FormState, fieldErrorsOf } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

const schema = passwordAgainSchema.extend({ code: z.string().max(1000).catch("") });

export async function disableAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({ password: formData.get("password"), code: formData.get("code") ?? "" });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const session = await requireUser();
  const result = await disableTwoFactor({
    userId: session.userId,
    sessionId: session.id,
    password: parsed.data.password,
    code: parsed.data.code,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    switch (result.error) {
      case "wrong_password":
        return { ok: false, fieldErrors: { password: formText.passwordWrong } };
      case "enforced":
        return { ok: false, error: twoFactorText.required };
      case "rate_limited":
        return { ok: false, error: retryText("retryAfterSeconds" in result ? Number(result.retryAfterSeconds) : 60) };
      case "not_enabled":
        return redirect("/profile");
      default:
        return {
          ok: false,
          fieldErrors: { code: formText.appCodeInvalid },
        };
    }
  }
  redirect("/profile?twofactor=disabled");
}
