function Help({ summary, children }: { summary: string; children: React.ReactNode }) {
  return (
    <details className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-slate-800">{summary}</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">{children}</ul>
    </details>
  );
}

// What to check when authenticator codes are refused (docs/security-model.md, "Authenticator apps").
// `issuer`: the name the entry has in the app, as the QR code carried it (lib/factors/totp.ts).
export function TotpTroubleshooting({ issuer }: { issuer: string }) {
  return (
    <Help summary="Codes not working?">
      <li>
        Make sure your phone&apos;s date and time are set automatically. Codes depend on the clock, and a phone that is
        off by more than a minute produces codes we can&apos;t accept.
      </li>
      <li>
        Use the entry for <strong>{issuer}</strong> with your email address in the app. If you have several, the newest
        one is the right one after you set up again.
      </li>
      <li>
        Type the code currently shown, without spaces, before it runs out. Each code works once: wait for the next one
        if you just used it.
      </li>
      <li>Lost your phone? Use one of your recovery codes instead.</li>
    </Help>
  );
}

// For codes we send: what to check when one does not arrive or is refused.
export function DeliveredCodeTroubleshooting({ method }: { method: "sms" | "email" }) {
  return (
    <Help summary={method === "sms" ? "No text message?" : "No email?"}>
      {method === "sms" ? (
        <li>
          Check the number, with its country code, and that your phone has signal. Texts can take a minute to arrive.
        </li>
      ) : (
        <li>Look in your spam or junk folder for a message from StrongSign. Emails can take a minute to arrive.</li>
      )}
      <li>Only the newest code works. If you asked for another, use that one.</li>
      <li>Type the 6 digits within 10 minutes. After 5 wrong codes, start again.</li>
    </Help>
  );
}
