"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import { methodLabels, TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import type { FormState } from "@/lib/form-state";
import {
  updateEnforcementAction,
  updateRememberBrowserAction,
  updateSessionDurationAction,
  updateSmsPerHourAction,
} from "./actions";

const METHODS = TWO_FACTOR_METHODS.map((value) => ({ value, label: methodLabels[value].title }));

const PASSKEY_CHOICES = [
  { value: "off", label: "No one", hint: "Any allowed method will do." },
  { value: "admins", label: "Owners and administrators", hint: "They can change everyone's access." },
  { value: "everyone", label: "Everyone", hint: "Codes can be phished; passkeys can't." },
] as const;

export function EnforcementForm({
  enabled,
  graceDays,
  methods,
  lockoutThreshold,
  requirePasskey,
}: {
  enabled: boolean;
  graceDays: number;
  methods: string[];
  lockoutThreshold: number;
  requirePasskey: string;
}) {
  const [state, action] = useActionState(updateEnforcementAction, {} as FormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid gap-5 sm:max-w-lg" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={enabled}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
        />
        <span>
          <span className="block text-sm font-medium text-slate-900">
            Require two-factor authentication for all users
          </span>
          <span className="block text-sm text-slate-600">
            Users without it are emailed and must set it up within the grace period.
          </span>
        </span>
      </label>
      <Field
        label="Grace period (days)"
        name="graceDays"
        type="number"
        min={0}
        max={365}
        defaultValue={graceDays}
        error={errors.graceDays}
        hint="0 means at their next sign-in."
        className="sm:max-w-[12rem]"
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">Allowed methods</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {METHODS.map((method) => (
            <label key={method.value} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="methods"
                value={method.value}
                defaultChecked={methods.includes(method.value)}
                className="h-4 w-4 rounded border-slate-300 text-indigo-600"
              />
              {method.label}
            </label>
          ))}
        </div>
        {errors.methods ? <p className="mt-1 text-sm text-red-700">{errors.methods}</p> : null}
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">
          Require a phishing-resistant method (passkey or security key)
        </legend>
        <p className="text-sm text-slate-600">
          With the same grace period, emails and set-up-only access as required two-factor authentication.
        </p>
        <div className="mt-2 grid gap-2">
          {PASSKEY_CHOICES.map((choice) => (
            <label key={choice.value} className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="requirePasskey"
                value={choice.value}
                defaultChecked={requirePasskey === choice.value}
                className="mt-0.5 h-4 w-4 border-slate-300 text-indigo-600"
              />
              <span>
                <span className="font-medium text-slate-900">{choice.label}</span>
                <span className="text-slate-600"> · {choice.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field
        label="Lockout threshold"
        name="lockoutThreshold"
        type="number"
        min={3}
        max={100}
        defaultValue={lockoutThreshold}
        error={errors.lockoutThreshold}
        hint="Failed second-factor attempts in a row before sign-in locks for 15 minutes."
        className="sm:max-w-[12rem]"
      />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}

// README "Remember this browser": whether the second step offers it, and for how many days.
export function RememberBrowserForm({ allowed, days, max }: { allowed: boolean; days: number; max: number }) {
  const [state, action] = useActionState(updateRememberBrowserAction, {} as FormState);
  return (
    <form action={action} className="grid gap-5 sm:max-w-lg" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          name="allowed"
          defaultChecked={allowed}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
        />
        <span>
          <span className="block text-sm font-medium text-slate-900">Allow &ldquo;Remember this browser&rdquo;</span>
          <span className="block text-sm text-slate-600">
            The second step offers to skip itself on that browser. The password is always asked, and people who must use
            a passkey are offered it only after a passkey. Turning it off forgets every remembered browser.
          </span>
        </span>
      </label>
      <Field
        label="Remember for (days)"
        name="days"
        type="number"
        min={1}
        max={max}
        defaultValue={state.values?.days ?? days}
        error={state.fieldErrors?.days}
        hint={`1 to ${max}. Fewer days also shorten browsers already remembered.`}
        className="sm:max-w-[12rem]"
      />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}

export function SessionDurationForm({ days }: { days: number }) {
  const [state, action] = useActionState(updateSessionDurationAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-lg" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Field
        label="Login session duration (days)"
        name="days"
        type="number"
        min={1}
        max={365}
        defaultValue={days}
        error={state.fieldErrors?.days}
        hint="Applies to new sessions and caps existing ones."
        className="sm:max-w-[12rem]"
      />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}

export function SmsPerHourForm({ smsPerHour, max }: { smsPerHour: number; max: number }) {
  const [state, action] = useActionState(updateSmsPerHourAction, {} as FormState);
  return (
    <form action={action} className="grid gap-4 sm:max-w-lg" noValidate>
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Text messages per hour"
        name="smsPerHour"
        type="number"
        min={0}
        max={max}
        defaultValue={smsPerHour}
        error={state.fieldErrors?.smsPerHour}
        hint="For the whole account, sign-ins and setups together. Past it, sign-in codes go by email. 0 sends no texts."
        className="sm:max-w-[12rem]"
      />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}
