// SPEC §3: what to check when authenticator codes are refused.
export function TotpTroubleshooting() {
  return (
    <details className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-slate-800">Codes not working?</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>Make sure your phone&apos;s date and time are set automatically. Codes depend on the clock, and a phone that is off by more than a minute produces codes we can&apos;t accept.</li>
        <li>Use the entry for <strong>StrongSign</strong> with your email address in the app. If you have several, the newest one is the right one after you set up again.</li>
        <li>Type the code currently shown, without spaces, before it runs out. Each code works once: wait for the next one if you just used it.</li>
        <li>Lost your phone? Use one of your recovery codes instead.</li>
      </ul>
    </details>
  );
}
