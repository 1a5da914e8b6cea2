"use server";

import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formText } from "@/app/messages";
import { passkeyText } from "@/app/messages/passkeys";
import { getRequestInfo, requireSudo, requireUser } from "@/dal";
import { allowedMethods } from "@/lib/account/policy";
import { removeMethod } from "@/lib/factors/removal";
import type { FormState } from "@/lib/form-state";
import { addPasskey } from "@/lib/passkeys/add";
import { renamePasskey } from "@/lib/passkeys/manage";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { registrationResponseSchema } from "@/lib/passkeys/relying-party";
import { parseArgument, requireForm, requireNoArguments } from "@/lib/platform/action-arguments";

export type PasskeyOptionsResult =
  | { ok: true; options: PublicKeyCredentialCreationOptionsJSON }
  | { ok: false; error: string; sudo?: boolean };

// Adding a passkey is adding a second factor: it needs the password given moments ago
// (docs/security-model.md, "Sessions and sudo mode"), like every other setup, and is
// allowed during enrollment.
export async function passkeyRegistrationOptionsAction(...unexpected: unknown[]): Promise<PasskeyOptionsResult> {
  requireNoArguments(unexpected);
  const session = await requireSudo({ duringEnrollment: true });
  if (!session) return { ok: false, error: passkeyText.sudoAgain, sudo: true };
  if (!allowedMethods(session.user.account).includes("passkey"))
    return { ok: false, error: formText.passkeysNotAllowed };
  return { ok: true, options: await startPasskeyRegistration({ userId: session.userId, sessionId: session.id }) };
}

export type AddPasskeyResult =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; error: string; fieldError?: string; sudo?: boolean };

// The name is checked by lib/passkeys/registration, which tells the form what is wrong with it.
const addSchema = z.object({ name: z.string(), response: registrationResponseSchema });

export async function addPasskeyAction(input: unknown): Promise<AddPasskeyResult> {
  const { name, response } = parseArgument(addSchema, input);
  const session = await requireSudo({ duringEnrollment: true });
  if (!session) return { ok: false, error: passkeyText.sudoAgain, sudo: true };
  const result = await addPasskey({
    userId: session.userId,
    sessionId: session.id,
    name,
    response,
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    switch (result.error) {
      case "invalid_name":
        return { ok: false, error: "", fieldError: formText.passkeyName };
      case "method_not_allowed":
        return { ok: false, error: formText.passkeysNotAllowed };
      case "challenge_expired":
        return { ok: false, error: passkeyText.addTookTooLong };
      default:
        return { ok: false, error: passkeyText.addNotVerified };
    }
  }
  revalidatePath("/profile");
  return { ok: true, recoveryCodes: result.recoveryCodes };
}

const renameSchema = z.object({ passkeyId: z.string().min(1).max(64), name: z.string().max(200) });

export async function renamePasskeyAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = renameSchema.safeParse({ passkeyId: formData.get("passkeyId"), name: formData.get("name") });
  if (!parsed.success) return { ok: false, error: formText.passkeyName };
  const session = await requireUser();
  const result = await renamePasskey({ userId: session.userId, ...parsed.data });
  if (!result.ok)
    return {
      ok: false,
      error: result.error === "not_found" ? passkeyText.gone : formText.passkeyName,
      values: { name: parsed.data.name },
    };
  revalidatePath("/profile");
  return { ok: true, message: passkeyText.renamed };
}

const removeSchema = z.object({
  method: z.enum(["passkey", "totp", "sms", "email"]),
  passkeyId: z.string().max(64).optional(),
});

// Removing one method of several needs sudo mode; the last goes through "Disable".
export async function removeMethodAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = removeSchema.safeParse({
    method: formData.get("method"),
    passkeyId: formData.get("passkeyId") ?? undefined,
  });
  if (!parsed.success) redirect("/profile");
  const session = await requireSudo({ redirectTo: "/profile/confirm-password?next=/profile" });
  const result = await removeMethod({ userId: session.userId, ...parsed.data, request: await getRequestInfo() });
  if (!result.ok && result.error === "last_method") redirect("/profile/two-factor/disable");
  redirect(result.ok ? "/profile?twofactor=removed" : `/profile?removal=${result.error}`);
}
