"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { codeNotSentText, formText, retryText, signInErrorText } from "@/app/messages";
import { signIn } from "@/auth";
import { getRequestInfo } from "@/dal";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import { sendFirstChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { setChallengeCookie } from "@/lib/sign-in/challenge-cookie";
import { readDeviceTokens } from "@/lib/sign-in/device-cookie";
import { passwordStep } from "@/lib/sign-in/password-step";
import { readRememberToken } from "@/lib/sign-in/remember-cookie";
import { passWithRememberedBrowser } from "@/lib/sign-in/remembered-browser";

const schema = z.object({
  email: z.string().trim().min(1, formText.emailMissing).max(254, formText.emailTooLong),
  password: z.string().min(1, formText.passwordMissing).max(PASSWORD_MAX_LENGTH, signInErrorText.invalid_credentials),
});

// A browser held back with the strangers guessing at an address is offered a link by email.
export type LoginState = FormState & { offerBrowserLink?: boolean };

export async function loginAction(_: LoginState, formData: FormData): Promise<LoginState> {
  requireForm(formData);
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };

  const request = await getRequestInfo();
  const deviceTokens = await readDeviceTokens();
  const result = await passwordStep({ ...parsed.data, request, deviceTokens });
  if (!result.ok) {
    if (result.error === "rate_limited")
      return { ok: false, error: retryText(result.retryAfterSeconds), values, offerBrowserLink: !result.recognised };
    return { ok: false, error: signInErrorText[result.error], values };
  }
  // A remembered browser passes the second step on the server, through the challenge
  // (README "Remember this browser"); no code is sent.
  if (
    result.pendingFactor &&
    (await passWithRememberedBrowser({
      challengeId: result.challengeId,
      rememberToken: await readRememberToken(result.userId),
      deviceTokens,
      request,
    }))
  ) {
    await signIn("credentials", { challenge: result.challengeToken, redirectTo: "/profile" });
    return { ok: true };
  }
  if (result.pendingFactor === "sms" || result.pendingFactor === "email") {
    const sent = await sendFirstChallengeCode({ challengeId: result.challengeId });
    if (!sent.ok) {
      return {
        ok: false,
        error: codeNotSentText.signIn,
        values,
      };
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
