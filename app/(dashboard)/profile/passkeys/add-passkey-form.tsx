"use client";

import { useState } from "react";
import { FIRST_PASSKEY_ADDED_TEXT } from "@/app/messages/passkeys";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { Alert, Button, Field } from "@/components/ui";
import { registerPasskey } from "./register-passkey";

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
      const result = await registerPasskey(name);
      if (!result.ok) {
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
