"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { verifySecondFactorAction } from "./actions";

export function SecondFactorForm({
  kind,
  codeLabel,
  hint,
}: {
  kind: "code" | "recovery";
  codeLabel: string;
  hint?: string;
}) {
  const [state, action] = useActionState(verifySecondFactorAction, {} as FormState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="kind" value={kind} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {kind === "code" ? (
        <Field
          key="code"
          label={codeLabel}
          name="code"
          hint={hint}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={12}
          required
          autoFocus
          placeholder="123 456"
          className="[&_input]:font-mono [&_input]:tracking-widest"
        />
      ) : (
        <Field
          key="recovery"
          label="Recovery code"
          name="code"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={40}
          required
          autoFocus
          placeholder="xxxx-xxxx-xxxx-xxxx"
          className="[&_input]:font-mono"
        />
      )}
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}
