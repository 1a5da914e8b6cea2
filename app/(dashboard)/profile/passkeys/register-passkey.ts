import { startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { passkeyText } from "@/app/messages/passkeys";
import { addPasskeyAction, passkeyRegistrationOptionsAction } from "./actions";

// Adding a passkey from the page, for the Passkeys form and the passkey upgrade's card
// alike: the options (in sudo mode, else to the password first), the browser's answer,
// the server's check.

// What the browser's refusal means to a person. Cancelling is not an error worth a scare.
function browserErrorText(error: unknown) {
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED")
    return passkeyText.alreadyRegistered;
  if (error instanceof Error && error.name === "NotAllowedError") return passkeyText.notCreated;
  return passkeyText.cannotCreate;
}

const PASSWORD_FIRST = "/profile/two-factor/setup?method=passkey";

export type Registered =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; error: string | null; fieldError?: string };

export async function registerPasskey(name: string): Promise<Registered> {
  const options = await passkeyRegistrationOptionsAction();
  if (!options.ok) {
    if (options.sudo) window.location.assign(PASSWORD_FIRST);
    return { ok: false, error: options.error };
  }
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    response = await startRegistration({ optionsJSON: options.options });
  } catch (browserError) {
    return { ok: false, error: browserErrorText(browserError) };
  }
  const result = await addPasskeyAction({ name, response });
  if (!result.ok) {
    if (result.sudo) window.location.assign(PASSWORD_FIRST);
    return { ok: false, error: result.error || null, fieldError: result.fieldError };
  }
  return { ok: true, recoveryCodes: result.recoveryCodes };
}
