"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { confirmEmailChangeAction } from "./actions";

export function ConfirmEmailForm({ token }: { token: string }) {
  const [state, action] = useActionState(confirmEmailChangeAction, {} as FormState);
  if (state.ok) {
    return (
      <div className="space-y-4">
        <Alert tone="success">{state.message}</Alert>
        <Link href="/profile" className="text-sm font-medium text-indigo-700 hover:underline">
          Go to My Profile
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <SubmitButton className="w-full" pendingText="Confirming…">
        Confirm new address
      </SubmitButton>
    </form>
  );
}
