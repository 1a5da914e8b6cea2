"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { SubmitButton } from "./submit-button";
import { Alert, Field } from "./ui";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function PasswordConfirmForm({
  action,
  submitLabel,
  hidden = {},
}: {
  action: Action;
  submitLabel: string;
  hidden?: Record<string, string>;
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  return (
    <form action={formAction} className="grid gap-4 sm:max-w-md" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Current password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        error={state.fieldErrors?.password}
      />
      <div>
        <SubmitButton pendingText="Checking…">{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}
