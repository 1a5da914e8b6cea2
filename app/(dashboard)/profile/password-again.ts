import { z } from "zod";
import { formText, retryText } from "@/app/messages";
import type { CurrentSession } from "@/dal";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import type { FormState } from "@/lib/form-state";
import type { RequestInfo } from "@/lib/platform/request-info";
import { confirmPassword } from "@/lib/sessions/sudo";

// Only these pages may be returned to after the password, so the form cannot become an
// open redirect.
export const SUDO_DESTINATIONS = [
  "/profile/two-factor/recovery-codes",
  "/profile/two-factor/disable",
  "/profile/tokens/new",
  "/profile/email",
  "/profile",
  "/account/advanced",
] as const;

// What the password page says it is for, so nobody types a password without knowing why.
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

// Shared by the actions that ask for the password again: null when it was right.
export async function checkPasswordAgain(
  session: CurrentSession,
  password: string,
  request: RequestInfo,
): Promise<FormState | null> {
  const result = await confirmPassword({ userId: session.userId, sessionId: session.id, password, request });
  if (result.ok) return null;
  if (result.error === "rate_limited") return { ok: false, error: retryText(result.retryAfterSeconds) };
  return { ok: false, fieldErrors: { password: formText.passwordWrong } };
}
