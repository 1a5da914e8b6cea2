"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { disableAction } from "./actions";

// docs/security-model.md, "Turning two-factor authentication off": the password, and for an
// app a current code.
export function DisableForm({ askCode }: { askCode: boolean }) {
  const [state, action] = useActionState(disableAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid gap-4" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Current password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        error={errors.password}
      />
      {askCode ? (
        <Field
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          placeholder="123 456"
          error={errors.code}
          className="[&_input]:font-mono [&_input]:tracking-widest sm:max-w-xs"
        />
      ) : null}
      <div>
        <SubmitButton variant="danger" pendingText="Disabling…">
          Disable two-factor authentication
        </SubmitButton>
      </div>
    </form>
  );
}
