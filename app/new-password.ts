import { z } from "zod";
import { PASSWORDS_DIFFER_TEXT, passwordProblemText } from "@/app/messages";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";

// A new password typed twice (<NewPasswordFields>): the setup, invitation, reset and profile
// forms. Only its length is checked here; lib/sign-in/password.ts judges the rest.
export const newPasswordSchema = z
  .object({
    password: z.string().max(PASSWORD_MAX_LENGTH, passwordProblemText.too_long),
    confirmPassword: z.string(),
  })
  .refine((data) => data.password === data.confirmPassword, {
    path: ["confirmPassword"],
    message: PASSWORDS_DIFFER_TEXT,
  });
