import type { Metadata } from "next";
import Link from "next/link";
import { PasswordConfirmForm } from "@/components/password-confirm-form";
import { QrCode } from "@/components/qr-code";
import { TotpTroubleshooting } from "@/components/troubleshooting";
import { Alert, Card } from "@/components/ui";
import { allowedMethods } from "@/lib/enforcement";
import { requireUser } from "@/lib/auth-guards";
import { isSudo } from "@/lib/session";
import { formatSecretForDisplay, readTotpSetup } from "@/lib/totp";
import { startSetupAction } from "./actions";
import { ConfirmSetupForm } from "./confirm-form";
import { CopyButton } from "@/components/copy-button";

export const metadata: Metadata = { title: "Set up two-factor authentication" };

export default async function SetupTwoFactorPage({ searchParams }: { searchParams: Promise<{ step?: string }> }) {
  const session = await requireUser({ duringEnrollment: true });
  const { step } = await searchParams;
  const rebinding = session.user.twoFactorMethod === "totp";
  // The scan step needs the password given moments ago and a live pending setup.
  const setup = step === "scan" && isSudo(session) ? await readTotpSetup({ userId: session.userId }) : null;

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm"><Link href="/profile" className="text-indigo-700 hover:underline">← My Profile</Link></p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">{rebinding ? "Set up a new authenticator app" : "Set up two-factor authentication"}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {rebinding
            ? "Your current app and recovery codes keep working until the new app is confirmed; then they are replaced."
            : "After your password, sign-in will ask for a code from an authenticator app such as Google Authenticator, Microsoft Authenticator or Authy."}
        </p>
      </div>

      {!allowedMethods(session.user.account).includes("totp") ? (
        <Alert tone="warning">Your organisation doesn&apos;t allow authenticator apps. Ask an administrator to set up SMS or email codes for you.</Alert>
      ) : !setup ? (
        <Card title="Step 1 of 3: Confirm your password" description="To protect your account, enter your current password first.">
          <PasswordConfirmForm action={startSetupAction} submitLabel="Continue" />
        </Card>
      ) : (
        <>
          <Card title="Step 2 of 3: Scan the QR code" description="Open your authenticator app, add an account, and scan this code.">
            <div className="flex flex-col gap-6 sm:flex-row sm:items-start">
              <QrCode value={setup.uri} label={`QR code to add StrongSign (${session.user.email}) to an authenticator app`} />
              <div className="min-w-0 space-y-2 text-sm">
                <p className="font-medium text-slate-800">Can&apos;t scan it?</p>
                <p className="text-slate-600">Choose &ldquo;Enter a setup key&rdquo; in your app and type this key. It is time based, 6 digits.</p>
                <p>
                  <code aria-label="Setup key" data-testid="totp-secret" className="block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-base tracking-wider text-slate-900">
                    {formatSecretForDisplay(setup.secret)}
                  </code>
                </p>
                <CopyButton text={setup.secret} label="Copy key" />
              </div>
            </div>
          </Card>
          <Card title="Step 3 of 3: Enter the code from the app" description="Type the 6-digit code the app shows now to finish.">
            <ConfirmSetupForm accountEmail={session.user.email} />
            <div className="mt-6"><TotpTroubleshooting /></div>
          </Card>
        </>
      )}
    </div>
  );
}
