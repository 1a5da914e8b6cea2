"use client";

import { useActionState } from "react";
import { CopyButton } from "@/components/copy-button";
import { SubmitButton } from "@/components/submit-button";
import { Alert, Field } from "@/components/ui";
import { type AuditStreamState, auditStreamAction } from "./audit-stream-actions";

function IntentButton({
  action,
  intent,
  label,
  variant = "secondary",
}: {
  action: (formData: FormData) => void;
  intent: string;
  label: string;
  variant?: "secondary" | "danger";
}) {
  return (
    <form action={action}>
      <input type="hidden" name="intent" value={intent} />
      <SubmitButton variant={variant}>{label}</SubmitButton>
    </form>
  );
}

// The webhook's address, its secret once, and the stream's buttons (README "Audit streaming").
export function AuditStreamForm({ url, enabled }: { url: string | null; enabled: boolean }) {
  const [state, action] = useActionState(auditStreamAction, {} as AuditStreamState);
  return (
    <div className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {state.secret ? (
        <div className="space-y-2">
          {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: names the secret for screen readers (axe accepts it) */}
          <code
            aria-label="Signing secret"
            className="block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm text-slate-900"
          >
            {state.secret}
          </code>
          <CopyButton text={state.secret} label="Copy secret" />
        </div>
      ) : null}
      <form action={action} className="grid gap-3 sm:max-w-xl" noValidate>
        <input type="hidden" name="intent" value="save" />
        <Field
          label="Webhook URL"
          name="url"
          type="url"
          maxLength={2000}
          defaultValue={state.values?.url ?? url ?? ""}
          error={state.fieldErrors?.url}
          hint="An https:// address; http:// only to this machine (127.0.0.1 or [::1]), for testing."
        />
        <div>
          <SubmitButton>{enabled ? "Save address" : url ? "Turn on again" : "Turn on"}</SubmitButton>
        </div>
      </form>
      {enabled ? (
        <div className="flex flex-wrap gap-2">
          <IntentButton action={action} intent="test" label="Send test event" />
          <IntentButton action={action} intent="rotate" label="New signing secret" />
          <IntentButton action={action} intent="disable" label="Disable" variant="danger" />
        </div>
      ) : null}
    </div>
  );
}
