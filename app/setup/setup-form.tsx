"use client";

import { useActionState } from "react";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { setupAction } from "./actions";

export function SetupForm({ passwordHint }: { passwordHint: string }) {
  const [state, action] = useActionState(setupAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Organisation name"
        name="accountName"
        autoComplete="organization"
        required
        defaultValue={state.values?.accountName}
        error={errors.accountName}
      />
      <Field
        label="Your name"
        name="name"
        autoComplete="name"
        required
        defaultValue={state.values?.name}
        error={errors.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={errors.email}
      />
      <NewPasswordFields label="Password" hint={passwordHint} errors={errors} />
      <SubmitButton className="w-full" pendingText="Creating account…">
        Create account
      </SubmitButton>
    </form>
  );
}
