"use client";

import Link from "next/link";
import { useActionState } from "react";
import { NewPasswordFields } from "@/components/new-password-fields";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { changePasswordAction, updateNameAction } from "./actions";

export function NameForm({ name, email }: { name: string; email: string }) {
  const [state, action] = useActionState(updateNameAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        defaultValue={state.values?.name ?? name}
        error={state.fieldErrors?.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        value={email}
        readOnly
        disabled
        hint={
          <Link href="/profile/email" className="font-medium text-indigo-700 hover:underline">
            Change email address
          </Link>
        }
      />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}

export function PasswordForm({ passwordHint }: { passwordHint: string }) {
  const [state, action] = useActionState(changePasswordAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate key={state.ok ? state.message : undefined}>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={errors.currentPassword}
      />
      <NewPasswordFields label="New password" name="newPassword" hint={passwordHint} errors={errors} />
      <div>
        <SubmitButton pendingText="Changing…">Change password</SubmitButton>
      </div>
    </form>
  );
}
