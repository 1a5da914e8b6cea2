"use client";

import { type ReactNode, useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { ConfirmDialog } from "./confirm-dialog";
import { SubmitButton } from "./submit-button";
import { Alert, type ButtonVariant } from "./ui";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

// One button that posts one small form, optionally behind a confirmation dialog, and
// shows what happened next to it.
export function ActionForm({
  action,
  hidden,
  label,
  variant = "secondary",
  confirm,
  disabled = false,
  children,
}: {
  action: Action;
  hidden: Record<string, string>;
  label: string;
  variant?: ButtonVariant;
  confirm?: { title: string; body: ReactNode };
  disabled?: boolean;
  children?: ReactNode;
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  const form = (
    <form action={formAction} className="contents">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <SubmitButton variant={variant} pendingText="Working…" disabled={disabled}>
        {label}
      </SubmitButton>
    </form>
  );
  return (
    <div className="space-y-2">
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.fieldErrors ? <Alert tone="error">{Object.values(state.fieldErrors).join(" ")}</Alert> : null}
      {confirm ? (
        <ConfirmDialog trigger={label} title={confirm.title} variant={variant} disabled={disabled} confirm={form}>
          {confirm.body}
        </ConfirmDialog>
      ) : (
        <div className="flex flex-wrap items-end gap-3">{form}</div>
      )}
    </div>
  );
}
