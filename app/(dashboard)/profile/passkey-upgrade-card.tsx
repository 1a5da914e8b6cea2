"use client";

import { startRegistration, WebAuthnAbortService } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { passkeyText, passkeyUpgradeText } from "@/app/messages/passkeys";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { Alert, Button, Card } from "@/components/ui";
import { canCreateConditionally } from "@/lib/passkeys/browser-capabilities";
import { sendPasskeySignal } from "@/lib/passkeys/browser-signals";
import { registerPasskey } from "./passkeys/register-passkey";
import {
  addUpgradePasskeyAction,
  passkeyUpgradeOptionsAction,
  snoozePasskeyUpgradeAction,
} from "./passkeys/upgrade-actions";

const DONE = "/profile?twofactor=passkey-added";
// A browser that cannot make the passkey declines at once; one that can makes it in a
// moment. One that does neither by then (Chromium's virtual authenticators keep the
// request open) gets the card, whose own ceremony cancels the open request.
const SILENT_WAIT_MS = 3_000;

type Added = { ok: true; recoveryCodes: string[] | null } | { ok: false };

// Conditional create, once, right after the sign-in: the browser's password manager makes
// the passkey without a dialog. Any refusal, the browser's or the server's, ends it quietly.
// Once the card shows (`tooLate`), no request is begun: it would cancel the card's own.
async function createWithoutDialog(tooLate: () => boolean): Promise<Added> {
  if (!(await canCreateConditionally())) return { ok: false };
  const options = await passkeyUpgradeOptionsAction();
  if (!options.ok || tooLate()) return { ok: false };
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    response = await startRegistration({ optionsJSON: options.options, useAutoRegister: true });
  } catch {
    return { ok: false };
  }
  const added = await addUpgradePasskeyAction({ response });
  // The password manager now holds a passkey the server refused: it is told to drop it.
  if (!added.ok)
    sendPasskeySignal("signalUnknownCredential", { rpId: options.options.rp.id, credentialId: response.id });
  return added;
}

// The passkey upgrade (lib/passkeys/upgrade.ts) on My Profile. With `conditional` (a sign-in
// with the password and a second factor moments ago) the browser is first asked to make a
// passkey without a dialog, and nothing shows meanwhile; where it cannot or declines, and
// on later visits, the card offers one. "Add a passkey" is the Passkeys form's registration;
// "Not now" works without JavaScript.
export function PasskeyUpgradeCard({ conditional, accountEmail }: { conditional: boolean; accountEmail: string }) {
  const [asking, setAsking] = useState(conditional);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // One try per page, also when development mode runs effects twice.
  const tried = useRef(false);

  useEffect(() => {
    if (!conditional || tried.current) return;
    tried.current = true;
    let tooLate = false;
    const fallback = setTimeout(() => {
      tooLate = true;
      setAsking(false);
    }, SILENT_WAIT_MS);
    createWithoutDialog(() => tooLate)
      .catch((): Added => ({ ok: false }))
      .then((added) => {
        clearTimeout(fallback);
        if (!added.ok) setAsking(false);
        else if (added.recoveryCodes) setRecoveryCodes(added.recoveryCodes);
        else window.location.assign(DONE);
      });
  }, [conditional]);

  async function add() {
    setError(null);
    setPending(true);
    try {
      const result = await registerPasskey("");
      if (!result.ok) setError(result.error);
      else if (result.recoveryCodes) setRecoveryCodes(result.recoveryCodes);
      else window.location.assign(DONE);
    } finally {
      setPending(false);
    }
  }

  if (recoveryCodes)
    return (
      <>
        <Alert tone="success">{passkeyText.added}</Alert>
        <NewRecoveryCodes codes={recoveryCodes} accountEmail={accountEmail} doneHref={DONE} />
      </>
    );
  if (asking) return null;
  return (
    <Card id="passkey-upgrade" title={passkeyUpgradeText.title} description={passkeyUpgradeText.description}>
      <div className="space-y-4">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" onClick={add} disabled={pending}>
            {pending ? passkeyText.waiting : passkeyUpgradeText.add}
          </Button>
          <form action={snoozePasskeyUpgradeAction}>
            <Button
              type="submit"
              variant="secondary"
              aria-describedby="passkey-upgrade-later"
              // "Not now" also to a request for a silent passkey still open.
              onClick={() => WebAuthnAbortService.cancelCeremony()}
            >
              {passkeyUpgradeText.notNow}
            </Button>
          </form>
        </div>
        <p id="passkey-upgrade-later" className="text-xs text-slate-500">
          {passkeyUpgradeText.notNowHint}
        </p>
      </div>
    </Card>
  );
}
