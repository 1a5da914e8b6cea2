"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import { getRequestInfo } from "@/lib/auth-guards";
import { setChallengeCookie } from "@/lib/challenge-cookie";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import { fieldErrorsOf, formValues, type FormState } from "@/lib/form-state";
import { sendFirstChallengeCode } from "@/lib/delivered-code";
import { passwordStep } from "@/lib/sign-in";
import { retryText, signInErrorText } from "../messages";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(254, "That email address is too long."),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH, "Incorrect email or password."),
});

export async function loginAction(_: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };

  const result = await passwordStep({ ...parsed.data, request: await getRequestInfo() });
  if (!result.ok) {
    const error = result.error === "rate_limited" ? retryText(result.retryAfterSeconds) : signInErrorText[result.error];
    return { ok: false, error, values };
  }
  if (result.pendingFactor === "sms" || result.pendingFactor === "email") {
    const sent = await sendFirstChallengeCode({ challengeId: result.challengeId });
    if (!sent.ok) {
      return { ok: false, error: "We couldn't send your sign-in code by SMS or email. Please try again in a few minutes.", values };
    }
    await setChallengeCookie(result.challengeToken);
    redirect("/login/two-factor");
  }
  if (result.pendingFactor) {
    await setChallengeCookie(result.challengeToken);
    redirect("/login/two-factor");
  }
  await signIn("credentials", { challenge: result.challengeToken, redirectTo: "/profile" });
  return { ok: true };
}
