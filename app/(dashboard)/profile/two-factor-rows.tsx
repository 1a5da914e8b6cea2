import Link from "next/link";
import type { ReactNode } from "react";
import { removeMethodAction } from "@/app/(dashboard)/profile/passkeys/actions";
import { RenamePasskeyForm } from "@/app/(dashboard)/profile/passkeys/rename-passkey-form";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LocalTime } from "@/components/local-time";
import { Badge, Button, buttonClass } from "@/components/ui";
import type { TwoFactorMethod } from "@/lib/factors/kinds";

export type PasskeyView = {
  id: string;
  name: string;
  provider: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string;
  transports: string[];
};

export const SETUP = "/profile/two-factor/setup";

export function Row({ title, detail, action }: { title: ReactNode; detail: ReactNode; action: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
      <div className="min-w-0">
        <p className="text-sm font-medium text-slate-900">{title}</p>
        <div className="text-sm text-slate-600">{detail}</div>
      </div>
      <div className="flex flex-wrap gap-2">{action}</div>
    </div>
  );
}

// Remove one method. The last one turns 2FA off, which asks for the password (and an
// app code) on its own page; one the organisation requires has no button.
export function RemoveButton({
  what,
  label,
  method,
  passkeyId,
  last,
}: {
  what: string;
  label: string;
  method: TwoFactorMethod;
  passkeyId?: string;
  last: boolean;
}) {
  return (
    <ConfirmDialog
      trigger="Remove"
      triggerLabel={`Remove ${label}`}
      title={last ? "Turn off two-factor authentication?" : `Remove ${what}?`}
      confirm={
        last ? (
          <Link href="/profile/two-factor/disable" className={buttonClass("danger")}>
            Continue
          </Link>
        ) : (
          <form action={removeMethodAction}>
            <input type="hidden" name="method" value={method} />
            {passkeyId ? <input type="hidden" name="passkeyId" value={passkeyId} /> : null}
            <Button type="submit" variant="danger">
              Remove
            </Button>
          </form>
        )
      }
    >
      {last
        ? `This is your only way to sign in with two factors. Removing it turns two-factor authentication off and your recovery codes stop working.`
        : `You will no longer be able to sign in with ${what}. Your other methods keep working.`}
    </ConfirmDialog>
  );
}

// The passkeys section: each passkey with its own rename and remove.
export function PasskeyRows({
  passkeys,
  canAdd,
  canRemove,
  last,
}: {
  passkeys: PasskeyView[];
  canAdd: boolean;
  canRemove: boolean;
  last: boolean;
}) {
  return (
    <div className="border-t border-slate-100 pt-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
            Passkeys and security keys <Badge tone="green">Phishing-resistant</Badge>
          </p>
          <p className="text-sm text-slate-600">
            {passkeys.length === 0
              ? "Sign in with your fingerprint, face, screen lock or a security key. Works without a password too."
              : "Each one can sign you in with your password, or without it when it checks it's you (fingerprint, face or PIN)."}
          </p>
        </div>
        {canAdd ? (
          <Link href={`${SETUP}?method=passkey`} className={buttonClass("secondary")}>
            Add a passkey
          </Link>
        ) : null}
      </div>
      {passkeys.length > 0 ? (
        <ul className="mt-3 divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-3">
              <div className="min-w-0">
                <p className="break-words text-sm font-medium text-slate-900">{passkey.name}</p>
                <p className="text-xs text-slate-500">
                  {passkey.provider} · Added <LocalTime at={passkey.createdAt} /> · Last used{" "}
                  {passkey.lastUsedAt ? <LocalTime at={passkey.lastUsedAt} /> : "never"} ·{" "}
                  {passkey.deviceType === "multiDevice" ? "Synced passkey" : "On one device"}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <RenamePasskeyForm key={passkey.name} passkeyId={passkey.id} name={passkey.name} />
                {canRemove ? (
                  <RemoveButton
                    what={`the passkey “${passkey.name}”`}
                    label={`passkey ${passkey.name}`}
                    method="passkey"
                    passkeyId={passkey.id}
                    last={last}
                  />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
