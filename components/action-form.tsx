"use client";

import { useActionState, useRef, type ReactNode } from "react";
import type { FormState } from "@/lib/form-state";
import { SubmitButton } from "./submit-button";
import { Alert, Button, type ButtonVariant } from "./ui";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

// One button that posts one small form, optionally behind a confirmation dialog, and
// shows what happened next to it.
export function ActionForm({ action, hidden, label, variant = "secondary", confirm, disabled = false, children }: {
  action: Action;
  hidden: Record<string, string>;
  label: string;
  variant?: ButtonVariant;
  confirm?: { title: string; body: ReactNode };
  disabled?: boolean;
  children?: ReactNode;
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  const dialog = useRef<HTMLDialogElement>(null);
  const form = (
    <form action={formAction} onSubmit={() => dialog.current?.close()} className="contents">
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {children}
      <SubmitButton variant={variant} pendingText="Working…" disabled={disabled}>{label}</SubmitButton>
    </form>
  );
  return (
    <div className="space-y-2">
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.fieldErrors ? <Alert tone="error">{Object.values(state.fieldErrors).join(" ")}</Alert> : null}
      {confirm ? (
        <>
          <Button type="button" variant={variant} disabled={disabled} onClick={() => dialog.current?.showModal()}>{label}</Button>
          <dialog ref={dialog} aria-label={confirm.title} className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/50">
            <div className="p-6">
              <h2 className="text-lg font-semibold text-slate-900">{confirm.title}</h2>
              <div className="mt-2 text-sm text-slate-600">{confirm.body}</div>
              <div className="mt-6 flex flex-wrap justify-end gap-2">
                <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>Cancel</Button>
                {form}
              </div>
            </div>
          </dialog>
        </>
      ) : (
        <div className="flex flex-wrap items-end gap-3">{form}</div>
      )}
    </div>
  );
}
