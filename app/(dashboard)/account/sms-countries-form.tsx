"use client";

import { useActionState, useId, useState } from "react";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Button, Field } from "@/components/ui";
import type { FormState } from "@/lib/form-state";
import type { CountryOption } from "@/lib/messages/phone";
import { updateSmsCountriesAction } from "./actions";

// Lower case without accents, so "cote" finds "Côte d’Ivoire".
function fold(text: string) {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

// A country matches by its name, its ISO code or its calling code ("+44", "44").
function matches(country: CountryOption, query: string) {
  const words = fold(query.trim());
  if (!words) return false;
  const digits = words.replace(/[\s+]/g, "");
  if (/^\d+$/.test(digits)) return country.callingCode.startsWith(digits);
  return fold(country.name).includes(words) || country.code.toLowerCase() === words;
}

function namesOf(codes: string[], byCode: Map<string, CountryOption>) {
  return codes.map((code) => byCode.get(code)?.name ?? code).sort((a, b) => a.localeCompare(b, "en"));
}

// Registered numbers the chosen countries leave out, and what happens to them.
function leftOutText(leftOut: { country: string; numbers: number }[], byCode: Map<string, CountryOption>) {
  const numbers = leftOut.reduce((sum, entry) => sum + entry.numbers, 0);
  const where = namesOf(
    leftOut.map((entry) => entry.country),
    byCode,
  ).join(", ");
  return `${numbers === 1 ? "1 registered number is" : `${numbers} registered numbers are`} in ${where}, not chosen: their owners will get sign-in codes by email and be asked to choose another method.`;
}

// Where texts may go: the countries chosen are posted as hidden fields, so a country that
// the search hides stays chosen. Without a search the list shows the countries chosen
// and those of the numbers already registered; typing finds any other. The search and
// the checkboxes stand outside the <form>: React resets a form after its action, which
// would uncheck every box while the choice, kept in state, stays.
export function SmsCountriesForm({
  countries,
  chosen: saved,
  registered,
  perCountryPerHour,
  max,
}: {
  countries: CountryOption[];
  chosen: string[];
  // The countries of the numbers people have now, with how many are in each.
  registered: { country: string; numbers: number }[];
  perCountryPerHour: number;
  max: number;
}) {
  const [state, action] = useActionState(updateSmsCountriesAction, {} as FormState);
  const [chosen, setChosen] = useState<string[]>(saved);
  const [query, setQuery] = useState("");
  const id = useId();
  const byCode = new Map(countries.map((country) => [country.code, country]));
  const numbersIn = new Map(registered.map((entry) => [entry.country, entry.numbers]));
  const searching = query.trim() !== "";
  const shown = searching
    ? countries.filter((country) => matches(country, query))
    : countries.filter((country) => chosen.includes(country.code) || numbersIn.has(country.code));
  const leftOut = chosen.length === 0 ? [] : registered.filter((entry) => !chosen.includes(entry.country));
  const toggle = (code: string, on: boolean) =>
    setChosen((current) => (on ? [...current, code] : current.filter((c) => c !== code)));

  return (
    <div className="grid gap-5 sm:max-w-lg">
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <fieldset className="min-w-0">
        <legend className="text-sm font-medium text-slate-900">Countries texts may go to</legend>
        <p className="mt-1 text-sm text-slate-600" aria-live="polite">
          {chosen.length === 0
            ? "None chosen: texts may go to any country."
            : `Only to numbers in ${namesOf(chosen, byCode).join(", ")}.`}
        </p>
        {chosen.length > 0 ? (
          <Button type="button" variant="secondary" className="mt-2" onClick={() => setChosen([])}>
            Allow any country
          </Button>
        ) : null}
        <div className="mt-3">
          <label htmlFor={`${id}-search`} className="block text-sm font-medium text-slate-800">
            Find a country
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            aria-describedby={`${id}-search-hint`}
            autoComplete="off"
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
          />
          <p id={`${id}-search-hint`} className="mt-1 text-xs text-slate-500">
            Its name or calling code, such as France or +33.
          </p>
        </div>
        <p className="sr-only" aria-live="polite">
          {searching ? `${shown.length} ${shown.length === 1 ? "country matches" : "countries match"}.` : ""}
        </p>
        {shown.length > 0 ? (
          <ul
            aria-label={searching ? "Countries found" : "Countries chosen or with registered numbers"}
            className="mt-3 max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200"
          >
            {shown.map((country) => {
              const numbers = numbersIn.get(country.code);
              return (
                <li key={country.code}>
                  <label className="flex items-center gap-3 px-3 py-2 text-sm text-slate-800 hover:bg-slate-50">
                    <input
                      type="checkbox"
                      checked={chosen.includes(country.code)}
                      onChange={(event) => toggle(country.code, event.target.checked)}
                      className="h-4 w-4 shrink-0 rounded border-slate-300 text-indigo-600"
                    />
                    <span className="min-w-0 flex-1">
                      {country.name} <span className="text-slate-500">+{country.callingCode}</span>
                    </span>
                    {numbers ? (
                      <span className="shrink-0 text-xs text-slate-500">
                        {numbers} {numbers === 1 ? "number" : "numbers"}
                      </span>
                    ) : null}
                  </label>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="mt-3 text-sm text-slate-600">
            {searching
              ? `No country matches “${query.trim()}”.`
              : "No one has a number yet. Find a country to choose it."}
          </p>
        )}
        {state.fieldErrors?.countries ? (
          <p className="mt-1 text-sm text-red-700">{state.fieldErrors.countries}</p>
        ) : null}
        {leftOut.length > 0 ? (
          <div className="mt-3">
            <Alert tone="warning">{leftOutText(leftOut, byCode)}</Alert>
          </div>
        ) : null}
      </fieldset>
      <form action={action} className="grid gap-5" noValidate>
        {chosen.map((code) => (
          <input key={code} type="hidden" name="countries" value={code} />
        ))}
        <Field
          label="Texts per country per hour"
          name="perCountryPerHour"
          type="number"
          min={1}
          max={max}
          defaultValue={state.values?.perCountryPerHour ?? perCountryPerHour}
          error={state.fieldErrors?.perCountryPerHour}
          hint="Across the account, sign-ins and setups together. Past it, sign-in codes to that country go by email."
          className="sm:max-w-[12rem]"
        />
        <div>
          <SubmitButton pendingText="Saving…">Save</SubmitButton>
        </div>
      </form>
    </div>
  );
}
