"use client";

import { useActionState } from "react";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import { confirmSetupAction, type ConfirmState } from "./actions";

export function ConfirmSetupForm({ accountEmail }: { accountEmail: string }) {
  const [state, action] = useActionState(confirmSetupAction, {} as ConfirmState);
  if (state.ok && state.recoveryCodes) {
    return (
      <>
        <Alert tone="success">Two-factor authentication is on.</Alert>
        <NewRecoveryCodes codes={state.recoveryCodes} accountEmail={accountEmail} doneHref="/profile?twofactor=enabled" />
      </>
    );
  }
  return (
    <form action={action} className="grid gap-4 sm:max-w-xs" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field label="Authentication code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required placeholder="123 456" error={state.fieldErrors?.code} className="[&_input]:font-mono [&_input]:tracking-widest" />
      <div><SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton></div>
    </form>
  );
}
