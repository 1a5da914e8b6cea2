"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getRequestInfo, requireUser } from "@/lib/auth-guards";
import { fieldErrorsOf, type FormState } from "@/lib/form-state";
import { confirmTotpSetup, createTotpSetup } from "@/lib/totp";
import { checkPassword, passwordSchema } from "../../sudo";

// Step 1: the password, always (SPEC §3), then a new pending setup replaces any other.
export async function startSetupAction(_: FormState, formData: FormData): Promise<FormState> {
  const parsed = passwordSchema.safeParse({ password: formData.get("password") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const session = await requireUser({ duringEnrollment: true });
  const failed = await checkPassword(session, parsed.data.password, await getRequestInfo());
  if (failed) return failed;
  await createTotpSetup({ userId: session.userId });
  redirect("/profile/two-factor/setup?step=scan");
}

export type ConfirmState = FormState & { recoveryCodes?: string[] };

const codeSchema = z.object({ code: z.string().max(1000).catch("") });

// Step 2: the current code from the app turns the pending setup into active 2FA.
export async function confirmSetupAction(_: ConfirmState, formData: FormData): Promise<ConfirmState> {
  const { code } = codeSchema.parse({ code: formData.get("code") ?? "" });
  const session = await requireUser({ duringEnrollment: true });
  const result = await confirmTotpSetup({ userId: session.userId, code, request: await getRequestInfo() });
  if (!result.ok) {
    if (result.error === "setup_expired") return { ok: false, error: "This setup has expired. Start again to get a new QR code." };
    return { ok: false, fieldErrors: { code: "That code is not valid. Enter the 6-digit code your app shows now." } };
  }
  return { ok: true, recoveryCodes: result.recoveryCodes };
}
