"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/form-state";
import { resendCodeAction } from "./actions";

export function ResendCodeForm() {
  const [state, action, pending] = useActionState(resendCodeAction, {} as FormState);
  return (
    <form action={action} className="text-center text-sm">
      <button type="submit" disabled={pending} className="font-medium text-indigo-700 hover:underline disabled:text-slate-400">Resend code</button>
      {state.message || state.error ? <p role="status" className={`mt-2 ${state.error ? "text-red-700" : "text-slate-600"}`}>{state.message ?? state.error}</p> : null}
    </form>
  );
}
