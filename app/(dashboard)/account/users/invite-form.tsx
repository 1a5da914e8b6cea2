"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import { inviteAction } from "./actions";

export function InviteForm() {
  const [state, action] = useActionState(inviteAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} key={state.ok ? state.message : "invite"} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2">
        {state.message ? <Alert tone="success">{state.message}</Alert> : null}
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <Field
        label="Name"
        name="name"
        autoComplete="off"
        required
        defaultValue={state.ok ? "" : state.values?.name}
        error={errors.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        required
        defaultValue={state.ok ? "" : state.values?.email}
        error={errors.email}
      />
      <div>
        <label htmlFor="invite-role" className="block text-sm font-medium text-slate-800">
          Role
        </label>
        <select
          id="invite-role"
          name="role"
          defaultValue="MEMBER"
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          <option value="MEMBER">Member</option>
          <option value="ADMIN">Admin</option>
        </select>
      </div>
      <div className="flex items-end">
        <SubmitButton pendingText="Sending…">Send invitation</SubmitButton>
      </div>
    </form>
  );
}
