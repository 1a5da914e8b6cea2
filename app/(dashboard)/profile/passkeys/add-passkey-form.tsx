"use client";

import { startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { useState } from "react";
import { FIRST_PASSKEY_ADDED_TEXT, passkeyText } from "@/app/messages/passkeys";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { Alert, Button, Field } from "@/components/ui";
import { addPasskeyAction, passkeyRegistrationOptionsAction } from "./actions";

// What the browser's refusal means to a person. Cancelling is not an error worth a scare.
function browserErrorText(error: unknown) {
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED")
    return passkeyText.alreadyRegistered;
  if (error instanceof Error && error.name === "NotAllowedError") return passkeyText.notCreated;
  return passkeyText.cannotCreate;
}

// Names the passkey (or leaves that to its provider's name, README "Passkeys"), asks the browser to make one (Touch ID, Windows Hello, a phone, a
// security key), and sends its answer to the server, which checks it before it counts.
export function AddPasskeyForm({ accountEmail, doneHref }: { accountEmail: string; doneHref: string }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (recoveryCodes) {
    return (
      <>
        <Alert tone="success">{FIRST_PASSKEY_ADDED_TEXT}</Alert>
        <NewRecoveryCodes codes={recoveryCodes} accountEmail={accountEmail} doneHref={doneHref} />
      </>
    );
  }

  async function add(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    setPending(true);
    try {
      const options = await passkeyRegistrationOptionsAction();
      if (!options.ok) {
        if (options.sudo) window.location.assign("/profile/two-factor/setup?method=passkey");
        setError(options.error);
        return;
      }
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: options.options });
      } catch (browserError) {
        setError(browserErrorText(browserError));
        return;
      }
      const result = await addPasskeyAction({ name, response });
      if (!result.ok) {
        if (result.sudo) window.location.assign("/profile/two-factor/setup?method=passkey");
        if (result.fieldError) setFieldError(result.fieldError);
        if (result.error) setError(result.error);
        return;
      }
      if (result.recoveryCodes) setRecoveryCodes(result.recoveryCodes);
      else window.location.assign(`${doneHref.split("?")[0]}?twofactor=passkey-added`);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={add} className="grid gap-4 sm:max-w-sm" noValidate>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field
        label="Passkey name"
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={64}
        autoComplete="off"
        placeholder="e.g. Work laptop"
        hint="Optional. Left empty, it is named after where it is kept, such as Apple Passwords or a YubiKey."
        error={fieldError ?? undefined}
      />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Waiting for your device…" : "Add passkey"}
        </Button>
      </div>
    </form>
  );
}
