"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { requestEmailChangeAction } from "./actions";

export function EmailChangeForm() {
  const [state, action] = useActionState(requestEmailChangeAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="New email address"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.ok ? undefined : state.values?.email}
        error={state.fieldErrors?.email}
        hint="We send a link to the new address; the change happens when you open it."
      />
      <div>
        <SubmitButton pendingText="Sending…">Send confirmation link</SubmitButton>
      </div>
    </form>
  );
}
