"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { type ReactNode, useActionState, useState } from "react";
import { passkeyText } from "@/app/messages/passkeys";
import { stepUpText } from "@/app/messages/step-up";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Button, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import type { SudoWay } from "@/lib/sessions/sudo";
import { stepUpPasskeyOptionsAction } from "./step-up-actions";

type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;
type PasskeyAction = (values: Record<string, string>, answer: unknown) => Promise<FormState>;

// Confirming it's you (README "Sudo mode"), as GitHub asks: every way the user has, the
// strongest first (a passkey, then the app's code, then the password), each usable on its
// own by keyboard. While the second step is locked, `locked` says so in place of the
// passkey and the app.
export function StepUpForm({
  ways,
  locked,
  formAction,
  passkeyAction,
  hidden,
  submitLabel,
}: {
  ways: SudoWay[];
  locked?: ReactNode;
  formAction: FormAction;
  passkeyAction: PasskeyAction;
  hidden: Record<string, string>;
  submitLabel: string;
}) {
  const shown = locked ? ways.filter((way) => way === "password") : ways;
  // A heading for each way only when there is a choice: the password alone looks as it always did.
  const headed = shown.length > 1;
  const first = shown[0];
  const parts = shown.map((way) => {
    if (way === "passkey")
      return <PasskeyWay key={way} action={passkeyAction} hidden={hidden} autoFocus={first === way} />;
    if (way === "totp")
      return (
        <Way key={way} id="step-up-app" heading={headed ? stepUpText.appHeading : null}>
          <CodeForm action={formAction} hidden={hidden} first={first === way} />
        </Way>
      );
    return (
      <Way key={way} id="step-up-password" heading={headed ? stepUpText.passwordHeading : null}>
        <PasswordForm action={formAction} hidden={hidden} first={first === way} submitLabel={submitLabel} />
      </Way>
    );
  });
  return (
    <div className="space-y-5">
      {locked}
      {!locked && ways.length === 0 ? <Alert tone="warning">{stepUpText.noWay}</Alert> : null}
      {parts.flatMap((part, index) => (index === 0 ? [part] : [<Or key={`or-${index}`} />, part]))}
    </div>
  );
}

function Way({ id, heading, children }: { id: string; heading: string | null; children: ReactNode }) {
  if (!heading) return children;
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {heading}
      </h3>
      {children}
    </section>
  );
}

function Or() {
  return (
    <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500 sm:max-w-md">
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
      {stepUpText.or}
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
    </div>
  );
}

function Hidden({ values }: { values: Record<string, string> }) {
  return Object.entries(values).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

// The first way shown has the focus and the one primary button; the others are the
// fallbacks.
const variantOf = (first: boolean) => (first ? "primary" : "secondary");

// The browser asks for one of the user's own passkeys, with their fingerprint, face or
// PIN; the server checks the answer and sends the page on.
function PasskeyWay({
  action,
  hidden,
  autoFocus,
}: {
  action: PasskeyAction;
  hidden: Record<string, string>;
  autoFocus: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function usePasskey() {
    setError(null);
    setPending(true);
    try {
      const options = await stepUpPasskeyOptionsAction();
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        setError(stepUpText.passkeyNotUsed);
        return;
      }
      // A success redirects and returns nothing.
      const result = await action(hidden, response);
      if (result?.error) setError(result.error);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-3 sm:max-w-md">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button
        type="button"
        className="w-full"
        onClick={usePasskey}
        disabled={pending}
        autoFocus={autoFocus}
        aria-describedby="step-up-passkey-hint"
      >
        {pending ? passkeyText.waiting : stepUpText.usePasskey}
      </Button>
      <p id="step-up-passkey-hint" className="text-xs text-slate-500">
        {stepUpText.passkeyHint}
      </p>
    </div>
  );
}

function CodeForm({ action, hidden, first }: { action: FormAction; hidden: Record<string, string>; first: boolean }) {
  const [state, formAction] = useActionState(action, {} as FormState);
  return (
    <form action={formAction} className="grid gap-4 sm:max-w-md" noValidate>
      <Hidden values={{ ...hidden, way: "totp" }} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label={stepUpText.codeLabel}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={12}
        required
        autoFocus={first}
        placeholder="123 456"
        error={state.fieldErrors?.code}
        className="[&_input]:font-mono [&_input]:tracking-widest"
      />
      <div>
        <SubmitButton variant={variantOf(first)} pendingText="Verifying…">
          {stepUpText.verify}
        </SubmitButton>
      </div>
    </form>
  );
}

function PasswordForm({
  action,
  hidden,
  first,
  submitLabel,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  first: boolean;
  submitLabel: string;
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  return (
    <form action={formAction} className="grid gap-4 sm:max-w-md" noValidate>
      <Hidden values={{ ...hidden, way: "password" }} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Current password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus={first}
        error={state.fieldErrors?.password}
      />
      <div>
        <SubmitButton variant={variantOf(first)} pendingText="Checking…">
          {submitLabel}
        </SubmitButton>
      </div>
    </form>
  );
}
