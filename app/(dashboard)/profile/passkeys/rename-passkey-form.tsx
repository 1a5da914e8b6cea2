"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Button, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { renamePasskeyAction } from "./actions";

// "Rename" opens the name for editing in place; a bad name keeps what was typed. The
// parent keys it by the name, so a saved name closes it.
export function RenamePasskeyForm({ passkeyId, name }: { passkeyId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [state, action] = useActionState(renamePasskeyAction, {} as FormState);
  if (!open) {
    return (
      <Button type="button" variant="secondary" aria-label={`Rename passkey ${name}`} onClick={() => setOpen(true)}>
        Rename
      </Button>
    );
  }
  return (
    <form action={action} className="flex w-full flex-wrap items-end gap-2" noValidate>
      <input type="hidden" name="passkeyId" value={passkeyId} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="New name"
        name="name"
        id={`rename-${passkeyId}`}
        defaultValue={state.values?.name ?? name}
        maxLength={64}
        required
        autoFocus
        className="min-w-0 flex-1"
      />
      <SubmitButton pendingText="Saving…">Save</SubmitButton>
      <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}
