import Link from "next/link";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Badge, buttonClass, Card } from "@/components/ui";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import { formatDateTime } from "@/lib/user-agent";

export function TwoFactorCard({ method, enabledAt, recoveryCodesLeft, canDisable }: { method: string | null; enabledAt: Date | null; recoveryCodesLeft: number; canDisable: boolean }) {
  if (method === "sms" || method === "email") {
    return (
      <Card id="two-factor" title="Two-factor authentication" description="Set by an administrator of your organisation.">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="flex items-center gap-2 text-sm text-slate-700">
            <Badge tone="green">On</Badge> {method === "sms" ? "Codes by SMS to your phone" : "Codes by email"} after your password.
          </p>
          <Link href="/profile/two-factor/setup" className={buttonClass("secondary")}>Use an authenticator app instead</Link>
        </div>
      </Card>
    );
  }
  if (method !== "totp") {
    return (
      <Card id="two-factor" title="Two-factor authentication" description="Protect your account with a second step at sign-in: a code from an authenticator app on your phone.">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="flex items-center gap-2 text-sm text-slate-700"><Badge tone="amber">Off</Badge> Your account is protected by your password only.</p>
          <Link href="/profile/two-factor/setup" className={buttonClass("primary")}>Set up two-factor authentication</Link>
        </div>
      </Card>
    );
  }
  return (
    <Card id="two-factor" title="Two-factor authentication" description="Sign-in asks for a code from your authenticator app after your password.">
      <div className="space-y-5">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <Badge tone="green">On</Badge> Authenticator app{enabledAt ? `, since ${formatDateTime(enabledAt)}` : ""}
        </p>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
          <div>
            <p className="text-sm font-medium text-slate-900">Recovery codes</p>
            <p className={`text-sm ${recoveryCodesLeft <= RECOVERY_CODES_LOW ? "font-medium text-amber-700" : "text-slate-600"}`}>
              {recoveryCodesLeft} left{recoveryCodesLeft <= RECOVERY_CODES_LOW ? ": generate new codes soon." : "."}
            </p>
          </div>
          <Link href="/profile/two-factor/recovery-codes" className={buttonClass("secondary")}>View recovery codes</Link>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
          <div>
            <p className="text-sm font-medium text-slate-900">Authenticator app</p>
            <p className="text-sm text-slate-600">New phone? Set up the app again; this replaces your secret and recovery codes.</p>
          </div>
          <Link href="/profile/two-factor/setup" className={buttonClass("secondary")}>Set up a new app</Link>
        </div>
        <div className="border-t border-slate-100 pt-4">
          {canDisable ? (
            <ConfirmDialog
              trigger="Disable two-factor authentication"
              title="Disable two-factor authentication?"
              confirm={<Link href="/profile/two-factor/disable" className={buttonClass("danger")}>Continue</Link>}
            >
              Your account will be protected by your password only. You will need your password and a code from your app to continue.
            </ConfirmDialog>
          ) : (
            <p className="text-sm text-slate-600">Required by your organisation: it can&apos;t be turned off.</p>
          )}
        </div>
      </div>
    </Card>
  );
}
