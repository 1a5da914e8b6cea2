"use server";

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { requireUser } from "@/dal";
import { startPasskeySudo } from "@/lib/passkeys/assertion";
import { requireNoArguments } from "@/lib/platform/action-arguments";

// Sudo mode by a passkey, part 1 (README "Sudo mode"): what the browser must sign, for
// this session and the user's own keys, with the person verified. Part 2 is the action of
// the page that asked (confirm-password, two-factor setup).
export async function stepUpPasskeyOptionsAction(
  ...unexpected: unknown[]
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  requireNoArguments(unexpected);
  const session = await requireUser({ duringEnrollment: true });
  return startPasskeySudo({ userId: session.userId, sessionId: session.id });
}
