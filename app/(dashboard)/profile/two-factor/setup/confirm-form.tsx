"use client";

import { useActionState } from "react";
import { twoFactorText } from "@/app/messages/two-factor";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { ConfirmState } from "./actions";

// The last step of every setup: the code from the app, or the one we sent, turns 2FA on
// and, when they are new, shows the recovery codes.
export function ConfirmCodeForm({
  action,
  label,
  accountEmail,
}: {
  action: (state: ConfirmState, formData: FormData) => Promise<ConfirmState>;
  label: string;
  accountEmail: string;
}) {
  const [state, formAction] = useActionState(action, {} as ConfirmState);
  if (state.ok && state.recoveryCodes) {
    return (
      <>
        <Alert tone="success">{twoFactorText.on}</Alert>
        <NewRecoveryCodes
          codes={state.recoveryCodes}
          accountEmail={accountEmail}
          doneHref="/profile?twofactor=enabled"
        />
      </>
    );
  }
  return (
    <form action={formAction} className="grid gap-4 sm:max-w-xs" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label={label}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={12}
        required
        placeholder="123 456"
        error={state.fieldErrors?.code}
        className="[&_input]:font-mono [&_input]:tracking-widest"
      />
      <div>
        <SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton>
      </div>
    </form>
  );
}
