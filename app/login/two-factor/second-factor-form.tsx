"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { verifySecondFactorAction } from "./actions";

// "Remember this browser" (README): offered only when the account allows it for this
// person and this kind of second step; the server decides again.
export function RememberBrowserBox({ days, onChange }: { days: number; onChange?: (checked: boolean) => void }) {
  return (
    <label className="flex items-start gap-3">
      <input
        type="checkbox"
        name="remember"
        onChange={onChange ? (event) => onChange(event.target.checked) : undefined}
        className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 text-indigo-600"
      />
      <span>
        <span className="block text-sm font-medium text-slate-900">
          Don&apos;t ask for a second step on this browser for {days} day{days === 1 ? "" : "s"}
        </span>
        <span className="block text-sm text-slate-600">
          Your password is still asked. Leave this unticked on a shared or public computer.
        </span>
      </span>
    </label>
  );
}

export function SecondFactorForm({
  kind,
  codeLabel,
  hint,
  rememberDays,
}: {
  kind: "code" | "recovery";
  codeLabel: string;
  hint?: string;
  rememberDays: number | null;
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
      {rememberDays ? <RememberBrowserBox days={rememberDays} /> : null}
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}
