"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";

// "Resend code" for SMS and email codes, at sign-in and while setting them up.
export function ResendCodeForm({ action }: { action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {} as FormState);
  return (
    <form action={formAction} className="text-sm">
      <button
        type="submit"
        disabled={pending}
        className="font-medium text-indigo-700 hover:underline disabled:text-slate-400"
      >
        Resend code
      </button>
      {state.message || state.error ? (
        <p role="status" className={`mt-2 ${state.error ? "text-red-700" : "text-slate-600"}`}>
          {state.message ?? state.error}
        </p>
      ) : null}
    </form>
  );
}
