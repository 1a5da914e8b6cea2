import { z } from "zod";
import type { CurrentSession } from "@/lib/auth-guards";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import type { FormState } from "@/lib/form-state";
import type { RequestInfo } from "@/lib/request-info";
import { confirmPassword } from "@/lib/sudo";
import { retryText } from "../../messages";

// Only these pages may be returned to after the password, so the form cannot become an
// open redirect.
export const SUDO_DESTINATIONS = [
  "/profile/two-factor/recovery-codes",
  "/profile/two-factor/disable",
  "/profile/tokens/new",
  "/profile/email",
  "/profile",
] as const;

// What an action answers when the password was given too long ago.
export const SUDO_EXPIRED_TEXT = "For your security, confirm your password again: reload the page.";

export const passwordSchema = z.object({
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH, "That password is incorrect."),
});

// Shared by the actions that ask for the password again: null when it was right.
export async function checkPassword(
  session: CurrentSession,
  password: string,
  request: RequestInfo,
): Promise<FormState | null> {
  const result = await confirmPassword({ userId: session.userId, sessionId: session.id, password, request });
  if (result.ok) return null;
  if (result.error === "rate_limited") return { ok: false, error: retryText(result.retryAfterSeconds) };
  return { ok: false, fieldErrors: { password: "That password is incorrect." } };
}
