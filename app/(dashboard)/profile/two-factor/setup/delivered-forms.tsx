"use client";

import { useActionState } from "react";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { confirmDeliveredSetupAction, sendSetupCodeAction, type ConfirmState } from "./actions";

export function SendPhoneCodeForm({ phone }: { phone: string }) {
  const [state, action] = useActionState(sendSetupCodeAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-sm" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="method" value="sms" />
      <Field
        label="Mobile phone number"
        name="phone"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        maxLength={40}
        required
        autoFocus
        defaultValue={phone}
        placeholder="+44 7700 900123"
        hint="With the country code, starting with +. Message and data rates may apply."
        error={state.fieldErrors?.phone}
      />
      <div><SubmitButton pendingText="Sending…">Send code</SubmitButton></div>
    </form>
  );
}

export function SendEmailCodeForm() {
  const [state, action] = useActionState(sendSetupCodeAction, {} as FormState);
  return (
    <form action={action} className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="method" value="email" />
      <SubmitButton pendingText="Sending…">Send code</SubmitButton>
    </form>
  );
}

export function ConfirmDeliveredCodeForm({ accountEmail }: { accountEmail: string }) {
  const [state, action] = useActionState(confirmDeliveredSetupAction, {} as ConfirmState);
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
      <Field label="Verification code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required autoFocus placeholder="123 456" error={state.fieldErrors?.code} className="[&_input]:font-mono [&_input]:tracking-widest" />
      <div><SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton></div>
    </form>
  );
}
