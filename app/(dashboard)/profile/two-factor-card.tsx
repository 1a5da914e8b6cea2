import Link from "next/link";
import type { ReactNode } from "react";
import { removeMethodAction } from "@/app/(dashboard)/profile/passkeys/actions";
import { RenamePasskeyForm } from "@/app/(dashboard)/profile/passkeys/rename-passkey-form";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LocalTime } from "@/components/local-time";
import { Badge, Button, buttonClass, Card } from "@/components/ui";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import { methodLabels, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/factors/kinds";
import { maskPhone } from "@/lib/messages/phone";

export type PasskeyView = {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string;
  transports: string[];
};

const SETUP = "/profile/two-factor/setup";

function When({ at }: { at: Date }) {
  return <LocalTime at={at} />;
}

function Row({ title, detail, action }: { title: ReactNode; detail: ReactNode; action: ReactNode }) {
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
function RemoveButton({
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

function maskedPhone(phone: string | null) {
  return phone ? maskPhone(phone) : "your phone";
}

// SPEC §13: every method the user has, with add, rename and remove, and the ones the
// account allows that they could add.
export function TwoFactorCard({
  methods,
  passkeys,
  phone,
  enabledAt,
  allowed,
  recoveryCodes,
  canDisable,
  removable,
}: {
  methods: TwoFactorMethod[];
  passkeys: PasskeyView[];
  phone: string | null;
  enabledAt: Date | null;
  allowed: TwoFactorMethod[];
  recoveryCodes: { left: number; issued: number };
  canDisable: boolean;
  // The methods the account lets this user remove (lib/account/policy canRemoveMethod).
  removable: TwoFactorMethod[];
}) {
  const on = methods.length > 0;
  const last = (method: TwoFactorMethod) => methods.length === 1 && (method !== "passkey" || passkeys.length === 1);
  const canRemove = (method: TwoFactorMethod) => removable.includes(method);
  const shown = TWO_FACTOR_METHODS.filter((method) => methods.includes(method) || allowed.includes(method));
  const low = recoveryCodes.left <= RECOVERY_CODES_LOW;

  return (
    <Card
      id="two-factor"
      title="Two-factor authentication"
      description={
        on
          ? "After your password, sign-in asks for one of these. It offers the strongest first; “Try another way” shows the rest."
          : "Protect your account with a second step at sign-in: a passkey or security key, an authenticator app, or a code we send you."
      }
    >
      <div className="space-y-5">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          {on ? (
            <>
              <Badge tone="green">On</Badge>
              {enabledAt ? (
                <span>
                  Since <When at={enabledAt} />
                </span>
              ) : null}
            </>
          ) : (
            <>
              <Badge tone="amber">Off</Badge> Your account is protected by your password only.
            </>
          )}
        </p>
        {on ? null : (
          <Link href={SETUP} className={buttonClass("primary")}>
            Set up two-factor authentication
          </Link>
        )}

        {shown.includes("passkey") ? (
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
              {allowed.includes("passkey") ? (
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
                        Added <When at={passkey.createdAt} /> · Last used{" "}
                        {passkey.lastUsedAt ? <When at={passkey.lastUsedAt} /> : "never"} ·{" "}
                        {passkey.deviceType === "multiDevice" ? "Synced passkey" : "On one device"}
                      </p>
                    </div>
                    <div className="flex flex-wrap gap-2">
                      <RenamePasskeyForm key={passkey.name} passkeyId={passkey.id} name={passkey.name} />
                      {canRemove("passkey") ? (
                        <RemoveButton
                          what={`the passkey “${passkey.name}”`}
                          label={`passkey ${passkey.name}`}
                          method="passkey"
                          passkeyId={passkey.id}
                          last={last("passkey")}
                        />
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {shown.includes("totp") ? (
          <Row
            title={methodLabels.totp.title}
            detail={
              methods.includes("totp")
                ? "New phone? Set up the app again; this replaces its secret and your recovery codes."
                : "Codes from an app such as Google Authenticator, Microsoft Authenticator or 1Password."
            }
            action={
              <>
                {allowed.includes("totp") ? (
                  <Link href={`${SETUP}?method=totp`} className={buttonClass("secondary")}>
                    {methods.includes("totp") ? "Set up a new app" : "Add"}
                    <span className="sr-only"> an authenticator app</span>
                  </Link>
                ) : null}
                {methods.includes("totp") && canRemove("totp") ? (
                  <RemoveButton
                    what="your authenticator app"
                    label="authenticator app"
                    method="totp"
                    last={last("totp")}
                  />
                ) : null}
              </>
            }
          />
        ) : null}

        {shown.includes("sms") ? (
          <Row
            title="Text message (SMS)"
            detail={methods.includes("sms") ? `Codes texted to ${maskedPhone(phone)}.` : "We text you a code."}
            action={
              <>
                {allowed.includes("sms") ? (
                  <Link href={`${SETUP}?method=sms`} className={buttonClass("secondary")}>
                    {methods.includes("sms") ? "Change phone number" : "Add"}
                    <span className="sr-only">{methods.includes("sms") ? "" : " text message codes"}</span>
                  </Link>
                ) : null}
                {methods.includes("sms") && canRemove("sms") ? (
                  <RemoveButton what="text message codes" label="text message codes" method="sms" last={last("sms")} />
                ) : null}
              </>
            }
          />
        ) : null}

        {shown.includes("email") ? (
          <Row
            title="Email"
            detail={methods.includes("email") ? "Codes by email, sent to your address." : "We email you a code."}
            action={
              <>
                {allowed.includes("email") && !methods.includes("email") ? (
                  <Link href={`${SETUP}?method=email`} className={buttonClass("secondary")}>
                    Add<span className="sr-only"> email codes</span>
                  </Link>
                ) : null}
                {methods.includes("email") && canRemove("email") ? (
                  <RemoveButton what="email codes" label="email codes" method="email" last={last("email")} />
                ) : null}
              </>
            }
          />
        ) : null}

        {on ? (
          <Row
            title="Recovery codes"
            detail={
              <p className={low ? "font-medium text-amber-700" : undefined}>
                {recoveryCodes.issued === 0
                  ? "You have none yet: get a set so you can sign in if you lose your devices."
                  : recoveryCodes.left === 0
                    ? "All used: generate new codes so you can sign in if you lose your devices."
                    : `${recoveryCodes.left} left${low ? ": generate new codes soon." : "."}`}
              </p>
            }
            action={
              <Link href="/profile/two-factor/recovery-codes" className={buttonClass("secondary")}>
                {recoveryCodes.issued === 0 ? "Get recovery codes" : "View recovery codes"}
              </Link>
            }
          />
        ) : null}

        {on ? (
          <div className="border-t border-slate-100 pt-4">
            {canDisable ? (
              <ConfirmDialog
                trigger="Disable two-factor authentication"
                title="Disable two-factor authentication?"
                confirm={
                  <Link href="/profile/two-factor/disable" className={buttonClass("danger")}>
                    Continue
                  </Link>
                }
              >
                Every method above is removed and your account will be protected by your password only. You will need
                your password{methods.includes("totp") ? " and a code from your app" : ""} to continue.
              </ConfirmDialog>
            ) : (
              <p className="text-sm text-slate-600">
                Required by your organisation: it can&apos;t be turned off. Nor can the last method it requires be
                removed.
              </p>
            )}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
