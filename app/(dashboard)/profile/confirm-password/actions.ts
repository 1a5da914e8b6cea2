"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { checkStepUp, parseStepUpForm, SUDO_DESTINATIONS, stepUpFormErrors } from "@/app/(dashboard)/profile/step-up";
import { getRequestInfo, requireUser } from "@/dal";
import type { FormState } from "@/lib/form-state";
import { authenticationResponseSchema } from "@/lib/passkeys/relying-party";
import { parseArgument, requireForm } from "@/lib/platform/action-arguments";

// The form falls back to the page's own default; the script's call must name a destination.
const formNextSchema = z.object({ next: z.enum(SUDO_DESTINATIONS).catch(SUDO_DESTINATIONS[0]) });
const nextSchema = z.object({ next: z.enum(SUDO_DESTINATIONS) });

const pageOf = (next: string) => `/profile/confirm-password?next=${next}`;

// The password or an app code, then back to the page that asked.
export async function confirmStepUpAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const { next } = formNextSchema.parse({ next: formData.get("next") });
  const parsed = parseStepUpForm(formData);
  if (!parsed.success) return stepUpFormErrors(parsed.error);
  const session = await requireUser();
  const failed = await checkStepUp(session, parsed.data, await getRequestInfo(), pageOf(next));
  if (failed) return failed;
  redirect(next);
}

// A passkey's answer to stepUpPasskeyOptionsAction's request.
export async function confirmStepUpPasskeyAction(values: unknown, answer: unknown): Promise<FormState> {
  const { next } = parseArgument(nextSchema, values);
  const response = parseArgument(authenticationResponseSchema, answer);
  const session = await requireUser();
  const failed = await checkStepUp(session, { way: "passkey", response }, await getRequestInfo(), pageOf(next));
  if (failed) return failed;
  redirect(next);
}
