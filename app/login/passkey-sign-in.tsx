"use client";

import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { passkeyText } from "@/app/messages/passkeys";
import { Alert, Button } from "@/components/ui";
import { sendPasskeySignal } from "@/lib/passkeys/browser-signals";
import { passwordlessOptionsAction, passwordlessSignInAction } from "./passkey-actions";

// "Sign in with a passkey" (docs/security-model.md, "Passkeys and security keys"): no
// email, no password. Where the browser offers passkeys in the email field's autofill
// (conditional UI), that works too.
export function PasskeySignIn() {
  const [supported, setSupported] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signInWithPasskey(autofill: boolean) {
    const request = await passwordlessOptionsAction();
    let response: Awaited<ReturnType<typeof startAuthentication>>;
    try {
      response = await startAuthentication({ optionsJSON: request.options, useBrowserAutofill: autofill });
    } catch {
      if (!autofill) setError(passkeyText.notUsed);
      return;
    }
    setPending(true);
    const result = await passwordlessSignInAction(response);
    setPending(false);
    if (result.unknownCredentialId)
      sendPasskeySignal("signalUnknownCredential", {
        rpId: request.options.rpId,
        credentialId: result.unknownCredentialId,
      });
    if (result.error) setError(result.error);
  }

  useEffect(() => {
    setSupported(browserSupportsWebAuthn());
    browserSupportsWebAuthnAutofill().then((autofill) => {
      if (autofill) signInWithPasskey(true);
    });
  }, []);

  if (!supported) return null;
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500">
        <span className="h-px flex-1 bg-slate-200" />
        or
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button
        type="button"
        variant="secondary"
        className="w-full"
        disabled={pending}
        onClick={async () => {
          setError(null);
          setPending(true);
          try {
            await signInWithPasskey(false);
          } finally {
            setPending(false);
          }
        }}
      >
        {pending ? passkeyText.waiting : "Sign in with a passkey"}
      </Button>
    </div>
  );
}
