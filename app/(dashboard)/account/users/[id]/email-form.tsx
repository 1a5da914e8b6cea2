"use client";

import { useActionState } from "react";
import { changeEmailAction } from "@/app/(dashboard)/account/users/actions";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";

// Keeps what the admin typed when the address is refused.
export function AdminEmailForm({ userId, email, hint }: { userId: string; email: string; hint: string }) {
  const [state, action] = useActionState(changeEmailAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate>
      <input type="hidden" name="userId" value={userId} />
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Email address"
        name="email"
        type="email"
        autoComplete="off"
        required
        defaultValue={state.ok ? email : (state.values?.email ?? email)}
        key={state.ok ? email : undefined}
        error={state.fieldErrors?.email}
        hint={hint}
      />
      <div>
        <SubmitButton pendingText="Saving…">Change email address</SubmitButton>
      </div>
    </form>
  );
}
