"use client";

import { useActionState } from "react";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { acceptInvitationAction } from "./actions";

export function AcceptInvitationForm({ token, passwordHint }: { token: string; passwordHint: string }) {
  const [state, action] = useActionState(acceptInvitationAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <NewPasswordFields label="Password" hint={passwordHint} errors={errors} />
      <SubmitButton className="w-full" pendingText="Saving…">
        Set password and continue
      </SubmitButton>
    </form>
  );
}
