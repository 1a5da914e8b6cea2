"use client";

import { useActionState } from "react";
import { type PhoneCountry, PhoneInput } from "@/components/phone-input";
import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui";
import { DELIVERED_METHODS, isDeliveredMethod, methodLabels, type TwoFactorMethod } from "@/lib/factors/kinds";
import type { FormState } from "@/lib/form-state";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

// The radios and the phone field are uncontrolled, their defaults taken from what the
// server last said (or, after a refusal, from what was posted): React resets a form after
// its action, and a reset must land on the saved choice, never on the first render's.
// The phone field shows while SMS is checked by CSS alone, so a reset cannot desync it.
export function PreferenceForm({
  action,
  userId,
  method,
  phone,
  phoneVerified,
  defaultCountry,
  countries,
}: {
  action: Action;
  userId: string;
  method: TwoFactorMethod | null;
  // The stored number masked, as every page shows it, and the country it belongs to. The
  // field starts empty: left empty, the number stays as it is.
  phone: { masked: string; country?: string } | null;
  phoneVerified: boolean;
  // Preselected when there is no number yet: the region of the admin's browser language.
  defaultCountry?: string;
  countries: PhoneCountry[];
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  const choice = state.values?.method ?? (isDeliveredMethod(method) ? method : "none");
  const options = [
    {
      value: "none" as const,
      label: method === "totp" ? `${methodLabels.totp.title} (set up by the user)` : "Not set by an administrator",
    },
    ...DELIVERED_METHODS.map((value) => ({ value, label: `Authentication by ${methodLabels[value].title}` })),
  ];
  return (
    <form action={formAction} className="group grid gap-4 sm:max-w-md" noValidate>
      <input type="hidden" name="userId" value={userId} />
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">Second factor</legend>
        <div className="mt-2 space-y-2">
          {options.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="method"
                id={`method-${option.value}`}
                value={option.value}
                defaultChecked={choice === option.value}
                className="h-4 w-4 border-slate-300 text-indigo-600"
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="hidden group-has-[#method-sms:checked]:block">
        <PhoneInput
          label="Phone number"
          countries={countries}
          country={state.values?.phoneCountry ?? phone?.country ?? defaultCountry}
          number={state.values?.phone}
          autoComplete="off"
          hint={
            phone
              ? `Their number is ${phone.masked}, ${phoneVerified ? "verified" : "not verified yet"}. Leave this empty to keep it, or enter a new one; a new number is verified by the first code texted to it.`
              : "A new number is verified by the first code texted to it."
          }
          error={state.fieldErrors?.phone}
        />
      </div>
      <div>
        <SubmitButton pendingText="Saving…">Save preference</SubmitButton>
      </div>
    </form>
  );
}
