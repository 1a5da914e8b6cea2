"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { type LoginState, loginAction } from "./actions";
import { requestBrowserLinkAction } from "./browser-link-actions";

// `email`: filled in for someone who has just joined.
export function LoginForm({ email }: { email?: string }) {
  const [state, action] = useActionState(loginAction, {} as LoginState);
  const errors = state.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      <form action={action} className="space-y-4" noValidate>
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username webauthn"
          required
          autoFocus={!email}
          defaultValue={state.values?.email ?? email}
          error={errors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus={!!email}
          error={errors.password}
        />
        <SubmitButton className="w-full" pendingText="Signing in…">
          Sign in
        </SubmitButton>
        <p className="text-center text-sm">
          <Link href="/login/forgot" className="font-medium text-indigo-700 hover:underline">
            Forgot your password?
          </Link>
        </p>
      </form>
      {state.offerBrowserLink && state.values?.email ? <BrowserLinkOffer email={state.values.email} /> : null}
    </div>
  );
}

// Someone may be guessing at this address: browsers that have signed in before are not
// slowed down, and a new one can be recognised through a link sent to the address.
function BrowserLinkOffer({ email }: { email: string }) {
  const [state, action] = useActionState(requestBrowserLinkAction, {} as FormState);
  if (state.ok) return <Alert tone="success">{state.message}</Alert>;
  return (
    <form
      action={action}
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700"
    >
      <p>
        Is this your account? Browsers you have signed in with before are not held back. To use this one now, we can
        email you a link that lets it sign in.
      </p>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="email" value={email} />
      <SubmitButton variant="secondary" className="w-full" pendingText="Sending…">
        Email me a link for this browser
      </SubmitButton>
    </form>
  );
}
