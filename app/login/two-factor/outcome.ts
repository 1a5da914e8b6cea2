import "server-only";
import { z } from "zod";
import { secondFactorErrorText } from "@/app/messages";
import { signInText } from "@/app/messages/sign-in";
import { signIn } from "@/auth";
import { getRequestInfo } from "@/dal";
import type { FormState } from "@/lib/form-state";
import { clearChallengeCookie, readChallengeCookie } from "@/lib/sign-in/challenge-cookie";
import { thisBrowser } from "@/lib/sign-in/device-cookie";
import { handOverSignIn } from "@/lib/sign-in/passed-sign-in";
import {
  readEndedSignIn,
  type SecondFactorKind,
  type SecondFactorResult,
  verifySecondFactor,
} from "@/lib/sign-in/second-step";

// Where a second step ends: a page to go to (the signed-in app, or this page to say why
// the sign-in is over), or the form again with what went wrong.
export type SecondStepOutcome = { to: string } | { state: FormState };

// Any string is accepted here on purpose: a malformed code is a failed attempt that
// counts towards the lockout, with a clear message, never a 500.
const codeSchema = z.object({
  kind: z.enum(["code", "recovery"]) satisfies z.ZodType<Exclude<SecondFactorKind, "passkey">>,
  code: z.string().max(1000).catch(""),
  // "Don't ask for a second step on this browser": honoured only where the page offers it
  // (lib/sign-in/remembered-browser.ts decides again).
  remember: z.literal("on").nullable(),
});

// The code form's step (an app, texted or emailed code, or a recovery code), whichever way
// the form was posted (app/login/two-factor/actions.ts, verify/route.ts).
export async function verifyCodeStep(formData: FormData): Promise<SecondStepOutcome> {
  const parsed = codeSchema.safeParse({
    kind: formData.get("kind"),
    code: formData.get("code") ?? "",
    remember: formData.get("remember"),
  });
  if (!parsed.success) return { state: { ok: false, error: signInText.factorFormInvalid } };
  const challengeToken = await readChallengeCookie();
  const result = await verifySecondFactor({
    challengeToken,
    code: parsed.data.code,
    kind: parsed.data.kind,
    remember: parsed.data.remember === "on",
    request: await getRequestInfo(),
    client: await thisBrowser(),
  });
  return endSecondStep(challengeToken, result);
}

// One ending for every way through the second step: the session, or what went wrong.
export async function endSecondStep(challengeToken: string, result: SecondFactorResult): Promise<SecondStepOutcome> {
  if (!result.ok) {
    // The page itself tells a locked user until when, in their own time zone, and says
    // why a sign-in ended, from its row (the cookie is kept for that).
    if (result.error === "locked" || result.error === "too_many_attempts") return { to: "/login/two-factor" };
    if (result.error === "challenge_expired") {
      if (await readEndedSignIn(challengeToken)) return { to: "/login/two-factor" };
      await clearChallengeCookie();
      return { to: "/login?reason=expired" };
    }
    return { state: { ok: false, error: secondFactorErrorText(result) } };
  }
  await clearChallengeCookie();
  if (result.session) await handOverSignIn(challengeToken, result.session);
  const next = result.remaining !== undefined ? `/profile?recovery-used=${result.remaining}` : "/profile";
  // Auth.js answers with where it sent the browser: `next`, or its error page when the
  // challenge was spent by a racing request. Only the path is kept: it is this site's.
  const landed = new URL(await signIn("credentials", { challenge: challengeToken, redirectTo: next, redirect: false }));
  return { to: `${landed.pathname}${landed.search}` };
}
