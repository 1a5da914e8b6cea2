"use client";

import { useActionState } from "react";
import { type PhoneCountry, PhoneInput } from "@/components/phone-input";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { sendSetupCodeAction } from "./actions";

export function SendPhoneCodeForm({
  phone,
  country,
  countries,
}: {
  // The number the user has now, as they dial it at home, or "".
  phone: string;
  country?: string;
  countries: PhoneCountry[];
}) {
  const [state, action] = useActionState(sendSetupCodeAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="method" value="sms" />
      <PhoneInput
        label="Mobile phone number"
        countries={countries}
        country={state.values?.phoneCountry ?? country}
        number={state.values?.phone ?? phone}
        hint="Choose the country, then the number as you dial it there. Message and data rates may apply."
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
