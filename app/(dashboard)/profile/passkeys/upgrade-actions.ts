"use server";

import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRequestInfo, requireSudo, requireUser } from "@/dal";
import { addPasskey } from "@/lib/passkeys/add";
import { registrationResponseSchema } from "@/lib/passkeys/relying-party";
import { snoozePasskeyUpgrade, startPasskeyUpgrade } from "@/lib/passkeys/upgrade";
import { parseArgument, requireForm, requireNoArguments } from "@/lib/platform/action-arguments";

// The passkey upgrade (lib/passkeys/upgrade.ts). The silent passkey is refused without a
// word: the card then offers one the ordinary way (./actions.ts).

export type UpgradeOptionsResult = { ok: true; options: PublicKeyCredentialCreationOptionsJSON } | { ok: false };

// Sudo mode, as for every method added in My Profile. A sign-in moments ago counts because
// it is sudo mode: completeSignIn started it at the password step (lib/sessions/sudo.ts,
// the password given in this session in the last 15 minutes), and the upgrade's minutes
// lie within it, so nothing is granted beyond what the password gave. When a slow second
// step has used sudo mode up, there is no silent passkey (asking for the password again
// is a dialog); the card remains, and goes by the password.
export async function passkeyUpgradeOptionsAction(...unexpected: unknown[]): Promise<UpgradeOptionsResult> {
  requireNoArguments(unexpected);
  const session = await requireSudo();
  if (!session) return { ok: false };
  const started = await startPasskeyUpgrade({ userId: session.userId, sessionId: session.id });
  return started.ok ? { ok: true, options: started.options } : { ok: false };
}

const addSchema = z.object({ response: registrationResponseSchema });

export async function addUpgradePasskeyAction(
  input: unknown,
): Promise<{ ok: true; recoveryCodes: string[] | null } | { ok: false }> {
  const { response } = parseArgument(addSchema, input);
  const session = await requireSudo();
  if (!session) return { ok: false };
  const result = await addPasskey({
    userId: session.userId,
    sessionId: session.id,
    // Nobody was asked for a name: the provider's (README "Passkeys").
    name: "",
    response,
    request: await getRequestInfo(),
    conditional: true,
  });
  if (!result.ok) return { ok: false };
  revalidatePath("/profile");
  return { ok: true, recoveryCodes: result.recoveryCodes };
}

// "Not now" on the card: no offer for 30 days, for this user only.
export async function snoozePasskeyUpgradeAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const session = await requireUser();
  await snoozePasskeyUpgrade({ userId: session.userId });
  revalidatePath("/profile");
}
