"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { trustBrowserAction } from "./actions";

export function TrustForm({ token }: { token: string }) {
  const [state, action] = useActionState(trustBrowserAction, {} as FormState);
  return (
    <form action={action} className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingText="Recognising…">
        Sign in from this browser
      </SubmitButton>
    </form>
  );
}
