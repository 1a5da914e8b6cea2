import Link from "next/link";
import type { ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Badge, buttonClass, Card } from "@/components/ui";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import type { User } from "@/lib/generated/sqlite/client";
import { isTwoFactorMethod, methodLabels, type TwoFactorMethod } from "@/lib/methods";
import { maskPhone } from "@/lib/phone";
import { formatDateTime } from "@/lib/user-agent";

type CardUser = Pick<User, "twoFactorMethod" | "twoFactorEnabledAt" | "phone">;

// How sign-in reaches the user, for sentences like "Sign-in will ask for a code …".
export function methodPhrase(user: CardUser) {
  if (user.twoFactorMethod === "sms") return `texted to ${user.phone ? maskPhone(user.phone) : "your phone"}`;
  if (user.twoFactorMethod === "email") return "sent to your email address";
  return "from your authenticator app";
}

function Row({ title, detail, action }: { title: string; detail: ReactNode; action: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
      <div>
        <p className="text-sm font-medium text-slate-900">{title}</p>
        <div className="text-sm text-slate-600">{detail}</div>
      </div>
      <div className="flex flex-wrap gap-2">{action}</div>
    </div>
  );
}

const SETUP = "/profile/two-factor/setup";

export function TwoFactorCard({
  user,
  allowed,
  recoveryCodesLeft,
  canDisable,
}: {
  user: CardUser;
  allowed: TwoFactorMethod[];
  recoveryCodesLeft: number;
  canDisable: boolean;
}) {
  const method = user.twoFactorMethod;
  if (!isTwoFactorMethod(method)) {
    const ways = allowed.map((m) => methodLabels[m].source).join(", or ");
    return (
      <Card
        id="two-factor"
        title="Two-factor authentication"
        description={`Protect your account with a second step at sign-in: a code from ${ways || "a second device"}.`}
      >
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="flex items-center gap-2 text-sm text-slate-700">
            <Badge tone="amber">Off</Badge> Your account is protected by your password only.
          </p>
          <Link href={SETUP} className={buttonClass("primary")}>
            Set up two-factor authentication
          </Link>
        </div>
      </Card>
    );
  }

  const low = recoveryCodesLeft <= RECOVERY_CODES_LOW;
  const label =
    method === "totp"
      ? methodLabels.totp.title
      : method === "sms"
        ? `Codes by SMS to ${user.phone ? maskPhone(user.phone) : "your phone"}`
        : "Codes by email";
  return (
    <Card
      id="two-factor"
      title="Two-factor authentication"
      description={`Sign-in asks for a code ${methodPhrase(user)} after your password.`}
    >
      <div className="space-y-5">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <Badge tone="green">On</Badge> {label}
          {user.twoFactorEnabledAt ? `, since ${formatDateTime(user.twoFactorEnabledAt)}` : ""}
        </p>
        <Row
          title="Recovery codes"
          detail={
            <p className={low ? "font-medium text-amber-700" : undefined}>
              {recoveryCodesLeft === 0
                ? "None left: generate codes so you can sign in without your phone."
                : `${recoveryCodesLeft} left${low ? ": generate new codes soon." : "."}`}
            </p>
          }
          action={
            <Link href="/profile/two-factor/recovery-codes" className={buttonClass("secondary")}>
              View recovery codes
            </Link>
          }
        />
        {method === "totp" ? (
          <Row
            title="Authenticator app"
            detail="New phone? Set up the app again; this replaces your secret and recovery codes."
            action={
              <Link href={SETUP} className={buttonClass("secondary")}>
                Set up a new app
              </Link>
            }
          />
        ) : method === "sms" && allowed.includes("sms") ? (
          <Row
            title="Phone number"
            detail={`${user.phone ? `${maskPhone(user.phone)}. ` : ""}New number? We text a code to it before it replaces this one.`}
            action={
              <Link href={`${SETUP}?method=sms`} className={buttonClass("secondary")}>
                Change phone number
              </Link>
            }
          />
        ) : null}
        {allowed.some((m) => m !== method) ? (
          <Row
            title="Another method"
            detail={`Switch to ${allowed
              .filter((m) => m !== method)
              .map((m) => methodLabels[m].noun)
              .join(" or ")}. Your current method works until the new one is confirmed.`}
            action={
              <Link href={`${SETUP}?method=${allowed.find((m) => m !== method)}`} className={buttonClass("secondary")}>
                Change method
              </Link>
            }
          />
        ) : null}
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
              Your account will be protected by your password only. You will need your password
              {method === "totp" ? " and a code from your app" : ""} to continue.
            </ConfirmDialog>
          ) : (
            <p className="text-sm text-slate-600">Required by your organisation: it can&apos;t be turned off.</p>
          )}
        </div>
      </div>
    </Card>
  );
}
