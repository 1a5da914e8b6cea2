import Link from "next/link";
import { PasskeyRows, type PasskeyView, RemoveButton, Row, SETUP } from "@/app/(dashboard)/profile/two-factor-rows";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LocalTime } from "@/components/local-time";
import { Badge, buttonClass, Card } from "@/components/ui";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import { methodLabels, TWO_FACTOR_METHODS, type TwoFactorMethod } from "@/lib/factors/kinds";
import { maskPhone } from "@/lib/messages/phone";

function maskedPhone(phone: string | null) {
  return phone ? maskPhone(phone) : "your phone";
}

// docs/security-model.md, "Several methods at once": every method the user has, with add,
// rename and remove, and the ones the account allows that they could add.
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
                  Since <LocalTime at={enabledAt} />
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
          <PasskeyRows
            passkeys={passkeys}
            canAdd={allowed.includes("passkey")}
            canRemove={canRemove("passkey")}
            last={last("passkey")}
          />
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
