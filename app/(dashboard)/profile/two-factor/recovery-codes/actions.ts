"use server";

import { getRequestInfo, requireUser } from "@/lib/auth-guards";
import type { FormState } from "@/lib/form-state";
import { regenerateRecoveryCodes } from "@/lib/recovery-codes";
import { isSudo } from "@/lib/session";

export type RegenerateState = FormState & { recoveryCodes?: string[] };

export async function regenerateAction(_: RegenerateState): Promise<RegenerateState> {
  const session = await requireUser();
  if (!session.user.twoFactorMethod) return { ok: false, error: "Two-factor authentication is not on." };
  if (!isSudo(session)) return { ok: false, error: "For your security, confirm your password again: reload the page." };
  const codes = await regenerateRecoveryCodes({ userId: session.userId, request: await getRequestInfo() });
  return { ok: true, recoveryCodes: codes };
}
