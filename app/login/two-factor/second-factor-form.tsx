"use client";

import { useActionState, useState, useTransition } from "react";
import { signInText } from "@/app/messages/sign-in";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { verifySecondFactorAction } from "./actions";
import type { SecondStepOutcome } from "./outcome";

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
  // Without script the form posts to the server action; with it, to verify/route.ts, and
  // a signed-in browser then loads the app afresh (the route's comment says why).
  const [actionState, action] = useActionState(verifySecondFactorAction, {} as FormState);
  const [answer, setAnswer] = useState<FormState | null>(null);
  const [pending, startTransition] = useTransition();
  const state = answer ?? actionState;
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    startTransition(async () => {
      const outcome = await postCode(new FormData(form));
      if ("state" in outcome) {
        form.reset();
        setAnswer(outcome.state);
        return;
      }
      window.location.assign(outcome.to);
      // The button stays "Verifying…" until the next page replaces this one.
      await new Promise(() => {});
    });
  }
  return (
    <form action={action} onSubmit={submit} className="space-y-4" noValidate>
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
      <SubmitButton className="w-full" pendingText="Verifying…" pending={pending}>
        Verify
      </SubmitButton>
    </form>
  );
}

async function postCode(data: FormData): Promise<SecondStepOutcome> {
  try {
    const response = await fetch("/login/two-factor/verify", { method: "POST", body: data });
    const outcome = await response.json();
    if ("to" in outcome || "state" in outcome) return outcome;
  } catch {}
  return { state: { ok: false, error: signInText.serverNotReached } };
}
