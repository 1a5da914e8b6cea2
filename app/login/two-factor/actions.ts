"use server";

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { codeEmailLimitText, codeFallbackText, codeNotSentText, resendWaitText } from "@/app/messages";
import { codeResentText, signInText } from "@/app/messages/sign-in";
import { getRequestInfo } from "@/dal";
import { isDeliveredMethod, TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import type { FormState } from "@/lib/form-state";
import { startPasskeySecondFactor } from "@/lib/passkeys/assertion";
import { authenticationResponseSchema } from "@/lib/passkeys/relying-party";
import { parseArgument, requireForm, requireNoArguments } from "@/lib/platform/action-arguments";
import { readChallengeCookie } from "@/lib/sign-in/challenge-cookie";
import { thisBrowser } from "@/lib/sign-in/device-cookie";
import { findLoginChallenge } from "@/lib/sign-in/login-challenge";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { switchSecondFactor } from "@/lib/sign-in/try-another-way";
import { endSecondStep, type SecondStepOutcome, verifyCodeStep } from "./outcome";

// The code form without the page's script (with it, the form posts to verify/route.ts).
export async function verifySecondFactorAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  return follow(await verifyCodeStep(formData));
}

function follow(outcome: SecondStepOutcome): FormState {
  if ("to" in outcome) redirect(outcome.to);
  return outcome.state;
}

// "Resend code" (docs/security-model.md, "SMS and email codes"), throttled and capped by
// lib/factors/sms-email/sign-in-codes.ts.
export async function resendCodeAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const challenge = await findLoginChallenge(await readChallengeCookie());
  // The page says why a sign-in is over (expired, its codes used up, a lock).
  if (!challenge || !isDeliveredMethod(challenge.pendingFactor)) redirect("/login/two-factor");
  const sent = await sendChallengeCode({ challengeId: challenge.id });
  // The page reads where the code went from the challenge: show it the new answer.
  revalidatePath("/login/two-factor");
  if (sent.ok)
    return {
      ok: true,
      message: sent.fallback ? codeFallbackText(sent.fallback, "a new code") : codeResentText(sent.channel),
    };
  switch (sent.error) {
    case "locked":
      return redirect("/login/two-factor");
    case "throttled":
      return { ok: false, error: resendWaitText(sent.retryAfterSeconds) };
    case "email_limit":
      return { ok: false, error: codeEmailLimitText(sent.retryAfterSeconds) };
    case "too_many_sends":
      return { ok: false, error: signInText.noMoreCodes };
    case "delivery_failed":
      return { ok: false, error: codeNotSentText.resend };
    default:
      redirect("/login/two-factor");
  }
}

export type PasskeyRequest =
  | { ok: true; options: PublicKeyCredentialRequestOptionsJSON }
  | { ok: false; error: string };

// The passkey second step, part 1: what the browser must sign, bound to this sign-in.
export async function passkeyOptionsAction(...unexpected: unknown[]): Promise<PasskeyRequest> {
  requireNoArguments(unexpected);
  const challenge = await findLoginChallenge(await readChallengeCookie());
  if (!challenge || challenge.factorVerifiedAt) redirect("/login?reason=expired");
  if (challenge.pendingFactor !== "passkey") redirect("/login/two-factor");
  return {
    ok: true,
    options: await startPasskeySecondFactor({ userId: challenge.userId, loginChallengeId: challenge.id }),
  };
}

// Part 2: the browser's answer, checked like any code (lockout, audit, session), and
// whether "Don't ask for a second step on this browser" was ticked.
export async function verifyPasskeyAction(answer: unknown, remember: unknown): Promise<FormState> {
  const response = parseArgument(authenticationResponseSchema, answer);
  const challengeToken = await readChallengeCookie();
  const result = await verifySecondFactor({
    challengeToken,
    kind: "passkey",
    response,
    remember: parseArgument(z.boolean(), remember),
    request: await getRequestInfo(),
    client: await thisBrowser(),
  });
  return follow(await endSecondStep(challengeToken, result));
}

const switchSchema = z.object({ method: z.enum(TWO_FACTOR_METHODS) });

// "Try another way": the server checks the user has the method (lib/sign-in/second-step).
export async function switchMethodAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = switchSchema.safeParse({ method: formData.get("method") });
  if (!parsed.success) redirect("/login/two-factor");
  // Switched or not (a method the user lacks, a sign-in that is over), the page says
  // where the sign-in stands.
  await switchSecondFactor({ challengeToken: await readChallengeCookie(), method: parsed.data.method });
  redirect("/login/two-factor");
}
