"use client";

import { useActionState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { NewRecoveryCodes } from "@/components/recovery-codes";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import { type RegenerateState, regenerateAction } from "./actions";

export function RegenerateCodes({ accountEmail }: { accountEmail: string }) {
  const [state, action] = useActionState(regenerateAction, {} as RegenerateState);
  if (state.ok && state.recoveryCodes) {
    return (
      <NewRecoveryCodes
        codes={state.recoveryCodes}
        accountEmail={accountEmail}
        doneHref="/profile/two-factor/recovery-codes"
      />
    );
  }
  return (
    <div className="space-y-3">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <ConfirmDialog
        trigger="Generate new codes"
        title="Generate new recovery codes?"
        variant="secondary"
        confirm={
          <form action={action}>
            <SubmitButton variant="danger" pendingText="Generating…">
              Generate new codes
            </SubmitButton>
          </form>
        }
      >
        Your current recovery codes will stop working immediately. Save the new ones somewhere safe.
      </ConfirmDialog>
    </div>
  );
}
