"use client";

import Link from "next/link";
import { useActionState } from "react";
import { createTokenAction, type NewTokenState } from "@/app/(dashboard)/profile/tokens/actions";
import { CopyButton } from "@/components/copy-button";
import { SubmitButton } from "@/components/submit-button";
import { Alert, buttonClass, Field } from "@/components/ui";

const SCOPE_TEXT = {
  read: "Read your profile and what you can see",
  write: "Make changes on your behalf",
  admin: "Read your account's users and their two-factor status",
} as const;

export function NewTokenForm({ isAdmin }: { isAdmin: boolean }) {
  const [state, action] = useActionState(createTokenAction, {} as NewTokenState);
  if (state.ok && state.token) {
    return (
      <div className="space-y-4">
        <Alert tone="success">Copy your new token now. You won&apos;t be able to see it again.</Alert>
        {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: names the secret for screen readers (axe accepts it) */}
        <code
          aria-label="New personal access token"
          className="block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm text-slate-900"
        >
          {state.token}
        </code>
        <div className="flex flex-wrap gap-2">
          <CopyButton text={state.token} label="Copy token" />
          <Link href="/profile#tokens" className={buttonClass("primary")}>
            Done
          </Link>
        </div>
      </div>
    );
  }
  const scopes = isAdmin ? (["read", "write", "admin"] as const) : (["read", "write"] as const);
  return (
    <form action={action} className="grid gap-5 sm:max-w-md" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Name"
        name="name"
        maxLength={100}
        required
        autoFocus
        placeholder="Deploy script"
        hint="What the token is for."
        error={state.fieldErrors?.name}
      />
      <div>
        <label htmlFor="expiresInDays" className="block text-sm font-medium text-slate-900">
          Expiration
        </label>
        <select
          id="expiresInDays"
          name="expiresInDays"
          defaultValue="30"
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          <option value="7">7 days</option>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
          <option value="366">One year</option>
          <option value="never">No expiration</option>
        </select>
      </div>
      <fieldset aria-describedby={state.fieldErrors?.scopes ? "scopes-error" : undefined}>
        <legend className="text-sm font-medium text-slate-900">Scopes</legend>
        <div className="mt-2 space-y-2">
          {scopes.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                defaultChecked={scope === "read"}
                className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
              />
              <span>
                <span className="font-mono font-medium text-slate-900">{scope}</span> – {SCOPE_TEXT[scope]}
              </span>
            </label>
          ))}
        </div>
        {state.fieldErrors?.scopes ? (
          <p id="scopes-error" className="mt-1 text-sm text-red-700">
            {state.fieldErrors.scopes}
          </p>
        ) : null}
      </fieldset>
      <div>
        <SubmitButton pendingText="Generating…">Generate token</SubmitButton>
      </div>
    </form>
  );
}
