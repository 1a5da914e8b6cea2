import { redirect } from "next/navigation";
import { z } from "zod";
import { formText, retryText, secondFactorErrorText } from "@/app/messages";
import { stepUpText } from "@/app/messages/step-up";
import type { CurrentSession } from "@/dal";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import { type FormState, fieldErrorsOf } from "@/lib/form-state";
import type { RequestInfo } from "@/lib/platform/request-info";
import { confirmAppCode, confirmPasskey, confirmPassword, type SudoFactorResult } from "@/lib/sessions/sudo";

// Sudo mode from the pages (README "Sudo mode"): the "Confirm it's you" page and the first
// step of adding a method both take any way the user has (lib/sessions/sudo.ts).

// Only these pages may be returned to after confirming, so the page cannot become an
// open redirect.
export const SUDO_DESTINATIONS = [
  "/profile/two-factor/recovery-codes",
  "/profile/two-factor/disable",
  "/profile/tokens/new",
  "/profile/email",
  "/profile",
  "/account/advanced",
] as const;

// What the page says it is for, so nobody confirms without knowing why.
export const SUDO_PURPOSES: Record<(typeof SUDO_DESTINATIONS)[number], string> = {
  "/profile/two-factor/recovery-codes": "view or replace your recovery codes",
  "/profile/two-factor/disable": "turn off two-factor authentication",
  "/profile/tokens/new": "create a personal access token",
  "/profile/email": "change your email address",
  "/profile": "remove a sign-in method",
  "/account/advanced": "change where the audit trail is streamed",
};

export const passwordAgainSchema = z.object({
  password: z.string().min(1, formText.passwordMissing).max(PASSWORD_MAX_LENGTH, formText.passwordWrong),
});

// The form's two ways: the password, or a code from the app. Any code string is accepted
// here on purpose: a malformed one is a failed attempt that counts, as at sign-in.
const stepUpFormSchema = z.discriminatedUnion("way", [
  passwordAgainSchema.extend({ way: z.literal("password") }),
  z.object({ way: z.literal("totp"), code: z.string().max(1000).catch("") }),
]);

export type StepUpProof = z.infer<typeof stepUpFormSchema> | { way: "passkey"; response: unknown };

export function parseStepUpForm(formData: FormData) {
  return formData.get("way") === "totp"
    ? stepUpFormSchema.safeParse({ way: "totp", code: formData.get("code") ?? "" })
    : stepUpFormSchema.safeParse({ way: "password", password: formData.get("password") });
}

export const stepUpFormErrors = (error: z.ZodError): FormState => ({ ok: false, fieldErrors: fieldErrorsOf(error) });

// null when the password was right.
async function checkPasswordAgain(
  session: CurrentSession,
  password: string,
  request: RequestInfo,
): Promise<FormState | null> {
  const result = await confirmPassword({ userId: session.userId, sessionId: session.id, password, request });
  if (result.ok) return null;
  if (result.error === "rate_limited") return { ok: false, error: retryText(result.retryAfterSeconds) };
  return { ok: false, fieldErrors: { password: formText.passwordWrong } };
}

// null once sudo mode is open. A lock, whether it stood already or this attempt made it,
// is told by the page (`here`), in the reader's own time zone.
export async function checkStepUp(
  session: CurrentSession,
  proof: StepUpProof,
  request: RequestInfo,
  here: string,
): Promise<FormState | null> {
  if (proof.way === "password") return checkPasswordAgain(session, proof.password, request);
  const attempt = { userId: session.userId, sessionId: session.id, request };
  const result: SudoFactorResult =
    proof.way === "totp"
      ? await confirmAppCode({ ...attempt, code: proof.code })
      : await confirmPasskey({ ...attempt, response: proof.response });
  if (result.ok) return null;
  if (result.error === "locked") redirect(here);
  if (result.error === "not_enabled") return { ok: false, error: stepUpText.notEnabled };
  const text = secondFactorErrorText(result);
  return proof.way === "totp" ? { ok: false, fieldErrors: { code: text } } : { ok: false, error: text };
}
