"use client";

import { useActionState } from "react";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { resetPasswordAction } from "./actions";

export function ResetPasswordForm({
  token,
  email,
  passwordHint,
}: {
  token: string;
  email: string;
  passwordHint: string;
}) {
  const [state, action] = useActionState(resetPasswordAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <NewPasswordFields label="New password" hint={passwordHint} errors={errors} autoFocus />
      <SubmitButton className="w-full" pendingText="Saving…">
        Change password
      </SubmitButton>
    </form>
  );
}
