"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { SUDO_EXPIRED_TEXT } from "@/app/messages";
import { profileText } from "@/app/messages/profile";
import { getRequestInfo, requireSudo, requireUser } from "@/dal";
import { createAccessToken, revokeAccessToken, SCOPES } from "@/lib/api/access-tokens";
import type { FormState } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

export type NewTokenState = FormState & { token?: string };

const schema = z.object({
  name: z.string().max(1000),
  expiresInDays: z.enum(["7", "30", "90", "366", "never"]),
  scopes: z.array(z.enum(SCOPES)).max(3),
});

// docs/security-model.md, "The API": created in sudo mode, shown once.
export async function createTokenAction(_: NewTokenState, formData: FormData): Promise<NewTokenState> {
  requireForm(formData);
  const parsed = schema.safeParse({
    name: formData.get("name") ?? "",
    expiresInDays: formData.get("expiresInDays"),
    scopes: formData.getAll("scopes"),
  });
  if (!parsed.success) return { ok: false, error: profileText.tokenFormInvalid };
  const session = await requireSudo();
  if (!session) return { ok: false, error: SUDO_EXPIRED_TEXT };
  const { name, expiresInDays, scopes } = parsed.data;
  const result = await createAccessToken({
    userId: session.userId,
    name,
    scopes,
    expiresInDays: expiresInDays === "never" ? null : Number(expiresInDays),
    request: await getRequestInfo(),
  });
  if (!result.ok) {
    switch (result.error) {
      case "invalid_name":
        return { ok: false, fieldErrors: { name: profileText.tokenName } };
      case "invalid_scopes":
        return { ok: false, fieldErrors: { scopes: profileText.tokenScopesMissing } };
      case "admin_scope_for_member":
        return { ok: false, fieldErrors: { scopes: profileText.tokenAdminScope } };
      default:
        return { ok: false, error: profileText.tokenExpiry };
    }
  }
  revalidatePath("/profile");
  return { ok: true, token: result.token };
}

const revokeSchema = z.object({ tokenId: z.string().min(1).max(100) });

export async function revokeTokenAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = revokeSchema.safeParse({ tokenId: formData.get("tokenId") });
  if (!parsed.success) return;
  const session = await requireUser();
  await revokeAccessToken({ userId: session.userId, tokenId: parsed.data.tokenId, request: await getRequestInfo() });
  revalidatePath("/profile");
}
