"use server";

import { SUDO_EXPIRED_TEXT } from "@/app/messages";
import { twoFactorText } from "@/app/messages/two-factor";
import { getRequestInfo, requireSudo } from "@/dal";
import { regenerateRecoveryCodes } from "@/lib/factors/recovery-codes";
import type { FormState } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

export type RegenerateState = FormState & { recoveryCodes?: string[] };

export async function regenerateAction(_: RegenerateState, formData: FormData): Promise<RegenerateState> {
  requireForm(formData);
  const session = await requireSudo();
  if (!session) return { ok: false, error: SUDO_EXPIRED_TEXT };
  if (!session.user.twoFactorMethod) return { ok: false, error: twoFactorText.notOn };
  const codes = await regenerateRecoveryCodes({ userId: session.userId, request: await getRequestInfo() });
  return { ok: true, recoveryCodes: codes };
}
