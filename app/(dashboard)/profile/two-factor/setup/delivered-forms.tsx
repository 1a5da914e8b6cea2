"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { sendSetupCodeAction } from "./actions";

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
      <div>
        <SubmitButton pendingText="Sending…">Send code</SubmitButton>
      </div>
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
