import type { ReactNode } from "react";

export type PhoneCountry = { code: string; name: string; callingCode: string };

// A phone number as people know it: a country (with its calling code) and the number as
// they dial it at home. The server reads the two together (lib/messages/phone.ts); a number typed
// with its + and calling code wins over the country chosen.
export function PhoneInput({
  label,
  countries,
  country,
  number,
  hint,
  error,
  autoComplete = "tel-national",
}: {
  label: string;
  countries: PhoneCountry[];
  country?: string;
  number?: string;
  hint?: ReactNode;
  error?: string;
  autoComplete?: string;
}) {
  const describedBy = [error ? "field-phone-error" : null, hint ? "field-phone-hint" : null].filter(Boolean).join(" ");
  const border = error ? "border-red-500" : "border-slate-300";
  const control = `rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 ${border}`;
  // The country on a line of its own, as wide as the form: beside the number, a select
  // wide enough for "+44 United Kingdom" left the number no room on a phone.
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="field-phone-country" className="block text-sm font-medium text-slate-800">
          Country
        </label>
        {/* Keyed by the country given, so the form's reset after a refused number shows the
            country sent with it: React sets a select's default only when it mounts. */}
        <select
          key={country ?? ""}
          id="field-phone-country"
          name="phoneCountry"
          defaultValue={country ?? ""}
          autoComplete="tel-country-code"
          className={`mt-1 block w-full ${control}`}
        >
          <option value="">Choose a country…</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              +{c.callingCode} {c.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="field-phone" className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <input
          id="field-phone"
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete={autoComplete}
          maxLength={40}
          defaultValue={number}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          className={`mt-1 block w-full min-w-0 placeholder:text-slate-400 ${control}`}
        />
        {hint ? (
          <p id="field-phone-hint" className="mt-1 text-xs text-slate-500">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id="field-phone-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
