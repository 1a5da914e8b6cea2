"use client";

import { type ReactNode, useId, useRef } from "react";
import { Button, type ButtonVariant } from "./ui";

// A native modal <dialog>: focus moves into it, Escape closes it, the page behind is inert.
// Submitting a form inside it (the confirm button) closes it.
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirm,
  variant = "danger",
  disabled = false,
  triggerLabel,
}: {
  trigger: string;
  // When several triggers read the same ("Remove"), what each one is for.
  triggerLabel?: string;
  title: string;
  children: ReactNode;
  confirm: ReactNode;
  variant?: ButtonVariant;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <Button
        type="button"
        variant={variant}
        disabled={disabled}
        aria-label={triggerLabel}
        onClick={() => dialog.current?.showModal()}
      >
        {trigger}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onSubmit={() => dialog.current?.close()}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/50"
      >
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          <div className="mt-2 text-sm text-slate-600">{children}</div>
          <div className="mt-6 flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            {confirm}
          </div>
        </div>
      </dialog>
    </>
  );
}
