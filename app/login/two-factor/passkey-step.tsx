"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useState } from "react";
import { passkeyText } from "@/app/messages/passkeys";
import { Alert, Button } from "@/components/ui";
import { passkeyOptionsAction, verifyPasskeyAction } from "./actions";
import { RememberBrowserBox } from "./second-factor-form";

// The passkey second step: the browser asks for the user's passkey or security key for
// this site (and no other: that is what makes it phishing-resistant), then the server
// checks its answer. A success signs in and navigates away.
export function PasskeyStep({ rememberDays }: { rememberDays: number | null }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [remember, setRemember] = useState(false);

  async function usePasskey() {
    setError(null);
    setPending(true);
    try {
      const request = await passkeyOptionsAction();
      if (!request.ok) {
        setError(request.error);
        return;
      }
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: request.options });
      } catch {
        setError(passkeyText.notUsedSecondStep);
        return;
      }
      const result = await verifyPasskeyAction(response, remember);
      if (result.error) setError(result.error);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {rememberDays ? <RememberBrowserBox days={rememberDays} onChange={setRemember} /> : null}
      <Button type="button" className="w-full" onClick={usePasskey} disabled={pending} autoFocus>
        {pending ? passkeyText.waiting : "Use your passkey or security key"}
      </Button>
    </div>
  );
}
