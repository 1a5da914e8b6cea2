"use client";

import { useEffect, useRef, useState } from "react";
import { CopyButton } from "./copy-button";
import { Button } from "./ui";

export type RecoveryCodeView = { code: string; used: boolean };

function asText(codes: RecoveryCodeView[], accountEmail: string) {
  const lines = codes.map((c) => (c.used ? `${c.code} (used)` : c.code));
  return [
    `StrongSign recovery codes for ${accountEmail}`,
    `Each code can be used once to sign in if you lose access to your phone or authenticator app.`,
    "",
    ...lines,
    "",
  ].join("\n");
}

export function RecoveryCodeList({ codes }: { codes: RecoveryCodeView[] }) {
  return (
    <ol
      aria-label="Recovery codes"
      className="grid grid-cols-1 gap-x-8 gap-y-2 rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-sm sm:grid-cols-2"
    >
      {codes.map((c) => (
        <li key={c.code} className={c.used ? "text-slate-400 line-through" : "text-slate-900"}>
          {c.code}
          {c.used ? <span className="sr-only"> (used)</span> : null}
        </li>
      ))}
    </ol>
  );
}

// Download as a .txt file, copy, print. Saving (download or copy) ticks the checkbox.
export function RecoveryCodeActions({
  codes,
  accountEmail,
  onSaved,
}: {
  codes: RecoveryCodeView[];
  accountEmail: string;
  onSaved?: () => void;
}) {
  const text = asText(codes, accountEmail);
  return (
    <div className="flex flex-wrap gap-2 print:hidden">
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
          const link = document.createElement("a");
          link.href = url;
          link.download = "strongsign-recovery-codes.txt";
          link.click();
          URL.revokeObjectURL(url);
          onSaved?.();
        }}
      >
        Download
      </Button>
      <CopyButton text={text} onCopied={onSaved} />
      <Button type="button" variant="secondary" onClick={() => window.print()}>
        Print
      </Button>
    </div>
  );
}

// The dialog shown when codes are new: they must be saved before it can be closed.
export function NewRecoveryCodes({
  codes,
  accountEmail,
  doneHref,
}: {
  codes: string[];
  accountEmail: string;
  doneHref: string;
}) {
  const [saved, setSaved] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const views = codes.map((code) => ({ code, used: false }));
  // A native modal: the page behind is inert and focus stays inside. Escape cannot
  // dismiss it before the codes are saved.
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="recovery-codes-title"
      onCancel={(event) => {
        event.preventDefault();
        if (saved) window.location.assign(doneHref);
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/50 print:static print:shadow-none"
    >
      <div className="p-6">
        <h2 id="recovery-codes-title" className="text-lg font-semibold">
          Save your recovery codes
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe, like a password
          manager. They won&apos;t be shown in full again without your password.
        </p>
        <div className="mt-4">
          <RecoveryCodeList codes={views} />
        </div>
        <div className="mt-4">
          <RecoveryCodeActions codes={views} accountEmail={accountEmail} onSaved={() => setSaved(true)} />
        </div>
        <label className="mt-5 flex items-center gap-2 text-sm font-medium text-slate-800 print:hidden">
          <input
            type="checkbox"
            checked={saved}
            onChange={(event) => setSaved(event.target.checked)}
            className="h-4 w-4 rounded border-slate-300 text-indigo-600"
          />
          I&apos;ve saved these codes
        </label>
        <div className="mt-5 flex justify-end print:hidden">
          <Button
            type="button"
            disabled={!saved}
            aria-describedby={saved ? undefined : "done-hint"}
            onClick={() => window.location.assign(doneHref)}
          >
            Done
          </Button>
        </div>
        {!saved ? (
          <p id="done-hint" className="mt-2 text-right text-xs text-slate-500 print:hidden">
            Download, copy or print the codes, then tick the box.
          </p>
        ) : null}
      </div>
    </dialog>
  );
}
