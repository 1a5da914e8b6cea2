"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { checkPasswordAgain, passwordAgainSchema, SUDO_DESTINATIONS } from "@/app/(dashboard)/profile/password-again";
import { getRequestInfo, requireUser } from "@/dal";
import { type FormState, fieldErrorsOf } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

const schema = passwordAgainSchema.extend({ next: z.enum(SUDO_DESTINATIONS) });

export async function confirmPasswordAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({ password: formData.get("password"), next: formData.get("next") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const session = await requireUser();
  const failed = await checkPasswordAgain(session, parsed.data.password, await getRequestInfo());
  if (failed) return failed;
  redirect(parsed.data.next);
}
