import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Fragment } from "react";
import { AddPasskeyForm } from "@/app/(dashboard)/profile/passkeys/add-passkey-form";
import { StepUpForm } from "@/app/(dashboard)/profile/step-up-form";
import { StepUpLocked } from "@/app/(dashboard)/profile/step-up-locked";
import { stepUpText } from "@/app/messages/step-up";
import { CopyButton } from "@/components/copy-button";
import { QrCode } from "@/components/qr-code";
import { ResendCodeForm } from "@/components/resend-code-form";
import { DeliveredCodeTroubleshooting, TotpTroubleshooting } from "@/components/troubleshooting";
import { Alert, buttonClass, Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { allowedMethods } from "@/lib/account/policy";
import { methodLabels, methodsOf, type TwoFactorMethod } from "@/lib/factors/kinds";
import { readDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { formatSecretForDisplay, readTotpSetup, totpIssuer } from "@/lib/factors/totp";
import { countryFromLanguages, formatPhoneNational, phoneCountry } from "@/lib/messages/phone";
import { smsCountryOptions } from "@/lib/messages/sms";
import { isSudo } from "@/lib/sessions/sessions";
import { readSudoWays } from "@/lib/sessions/sudo";
import {
  confirmDeliveredSetupAction,
  confirmSetupAction,
  resendSetupCodeAction,
  startSetupAction,
  startSetupWithPasskeyAction,
  startTotpAction,
} from "./actions";
import { ConfirmCodeForm } from "./confirm-form";
import { SendEmailCodeForm, SendPhoneCodeForm } from "./delivered-forms";

export const metadata: Metadata = { title: "Set up two-factor authentication" };

// The other methods the account allows, offered under the current step, as GitHub
// offers SMS under its authenticator step.
function OtherMethods({ current, allowed }: { current: TwoFactorMethod; allowed: TwoFactorMethod[] }) {
  const others = allowed.filter((method) => method !== current);
  if (others.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-slate-200 pt-4 text-sm text-slate-600">
      <span>Prefer another way?</span>
      {others.map((method) =>
        method === "totp" ? (
          <form key={method} action={startTotpAction}>
            <button type="submit" className="font-medium text-indigo-700 hover:underline">
              {methodLabels.totp.instead}
            </button>
          </form>
        ) : (
          <Link
            key={method}
            href={`/profile/two-factor/setup?step=${method}`}
            className="font-medium text-indigo-700 hover:underline"
          >
            {methodLabels[method].instead}
          </Link>
        ),
      )}
    </div>
  );
}

export default async function SetupTwoFactorPage({
  searchParams,
}: {
  searchParams: Promise<{ step?: string; method?: string }>;
}) {
  const session = await requireUser({ duringEnrollment: true });
  const { user } = session;
  const { step, method: asked } = await searchParams;
  const allowed = allowedMethods(user.account);
  const sudo = isSudo(session);
  // Each step past the password needs the password given moments ago; the code steps
  // also need a live pending setup.
  const totpSetup = step === "scan" && sudo ? await readTotpSetup({ userId: session.userId }) : null;
  const deliveredSetup = step === "verify" ? await readDeliveredSetup({ userId: session.userId }) : null;
  const deliveredStep = (step === "sms" || step === "email") && sudo && allowed.includes(step) ? step : null;
  const passkeyStep = step === "passkey" && sudo && allowed.includes("passkey");
  const current = methodsOf(user);
  const replacingApp = current.includes("totp") && (!!totpSetup || asked === "totp");
  const issuer = totpIssuer(user.account.name);

  const title =
    current.length === 0
      ? "Set up two-factor authentication"
      : replacingApp
        ? "Set up a new authenticator app"
        : "Add a way to sign in";
  const intro =
    current.length === 0
      ? "After your password, sign-in will ask for a second step: a passkey or security key, a code from an authenticator app, or a code we send you."
      : `You sign in with ${current.map((method) => methodLabels[method].noun).join(", ")} now, and ${current.length === 1 ? "that keeps" : "those keep"} working. A new authenticator app or phone number replaces the old one once it is confirmed.`;

  let body: React.ReactNode;
  if (allowed.length === 0) {
    body = (
      <Alert tone="warning">Your organisation allows no two-factor method at the moment. Ask an administrator.</Alert>
    );
  } else if (totpSetup) {
    body = (
      <>
        <Card
          title="Step 2 of 3: Scan the QR code"
          description={`Open your authenticator app, add an account, and scan this code. The app lists it as ${issuer} (${user.email}).`}
        >
          <div className="flex flex-col items-center gap-6 sm:flex-row sm:items-start">
            <div className="flex flex-col items-center gap-3">
              <QrCode
                value={totpSetup.uri}
                label={`QR code to add ${issuer} (${user.email}) to an authenticator app`}
              />
              {/* A phone cannot scan its own screen: the same URI, for the app on this device. */}
              <a href={totpSetup.uri} className={buttonClass("primary", "sm:hidden")}>
                Open in authenticator app
              </a>
            </div>
            <div className="w-full min-w-0 space-y-2 text-sm">
              <p className="font-medium text-slate-800">Can&apos;t scan it?</p>
              <p className="text-slate-600">
                Choose &ldquo;Enter a setup key&rdquo; in your app and type this key. It is time based, 6 digits.
              </p>
              <p>
                {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: names the secret for screen readers (axe accepts it) */}
                <code
                  aria-label="Setup key"
                  data-testid="totp-secret"
                  className="block rounded-md bg-slate-100 px-3 py-2 font-mono text-base tracking-wider text-slate-900"
                >
                  {/* Lines break between groups of four, never inside one. */}
                  {formatSecretForDisplay(totpSetup.secret)
                    .split(" ")
                    .map((group, index) => (
                      <Fragment key={group + String(index)}>
                        {index > 0 ? " " : null}
                        <span className="whitespace-nowrap">{group}</span>
                      </Fragment>
                    ))}
                </code>
              </p>
              <CopyButton text={totpSetup.secret} label="Copy key" />
            </div>
          </div>
        </Card>
        <Card
          title="Step 3 of 3: Enter the code from the app"
          description="Type the 6-digit code the app shows now to finish."
        >
          <ConfirmCodeForm action={confirmSetupAction} label="Authentication code" accountEmail={user.email} />
          <div className="mt-6">
            <TotpTroubleshooting issuer={issuer} />
          </div>
          <div className="mt-6">
            <OtherMethods current="totp" allowed={allowed} />
          </div>
        </Card>
      </>
    );
  } else if (passkeyStep) {
    body = (
      <Card
        title="Step 2 of 2: Add a passkey or security key"
        description="Your browser will ask you to use this device's screen lock (fingerprint, face or PIN), your phone, or a security key. A passkey can't be phished: it only works on this site."
      >
        <AddPasskeyForm accountEmail={user.email} doneHref="/profile?twofactor=enabled" />
        <div className="mt-6">
          <OtherMethods current="passkey" allowed={allowed} />
        </div>
      </Card>
    );
  } else if (deliveredStep === "sms") {
    body = (
      <Card
        title="Step 2 of 3: Your mobile number"
        description="We'll text a code to this number now, and every time you sign in."
      >
        <SendPhoneCodeForm
          phone={user.phone ? formatPhoneNational(user.phone) : ""}
          country={phoneCountry(user.phone) ?? countryFromLanguages((await headers()).get("accept-language"))}
          countries={smsCountryOptions(user.account)}
        />
        <div className="mt-6">
          <OtherMethods current="sms" allowed={allowed} />
        </div>
      </Card>
    );
  } else if (deliveredStep === "email") {
    body = (
      <Card
        title="Step 2 of 3: Your email address"
        description={
          <>
            We&apos;ll send a code to <strong className="font-medium text-slate-900">{user.email}</strong> now, and
            every time you sign in.
          </>
        }
      >
        <SendEmailCodeForm />
        <div className="mt-6">
          <OtherMethods current="email" allowed={allowed} />
        </div>
      </Card>
    );
  } else if (deliveredSetup) {
    body = (
      <Card
        title="Step 3 of 3: Enter the code we sent"
        description={
          <>
            We sent a 6-digit code {deliveredSetup.method === "sms" ? "by text message to" : "by email to"}{" "}
            <strong className="font-medium text-slate-900">{deliveredSetup.destination}</strong>. It expires in 10
            minutes.
          </>
        }
      >
        <ConfirmCodeForm action={confirmDeliveredSetupAction} label="Verification code" accountEmail={user.email} />
        <div className="mt-4 flex flex-wrap items-start gap-x-6 gap-y-2">
          <ResendCodeForm action={resendSetupCodeAction} />
          {deliveredSetup.method === "sms" && sudo ? (
            <Link
              href="/profile/two-factor/setup?step=sms"
              className="text-sm font-medium text-indigo-700 hover:underline"
            >
              Use a different number
            </Link>
          ) : null}
        </div>
        <div className="mt-6">
          <DeliveredCodeTroubleshooting method={deliveredSetup.method} />
        </div>
      </Card>
    );
  } else {
    // Unasked, setup starts with an app where allowed, as on GitHub; My Profile links to each method.
    const wanted = allowed.find((method) => method === asked) ?? (allowed.includes("totp") ? "totp" : allowed[0]);
    const { ways, lock } = await readSudoWays({ userId: session.userId });
    const passwordOnly = ways.length === 1 && ways[0] === "password";
    body = (
      <>
        {step === "verify" ? (
          <Alert tone="warning">That code has expired or was used up. Start again to get a new one.</Alert>
        ) : null}
        <Card
          title={`Step 1 of ${wanted === "passkey" ? 2 : 3}: ${passwordOnly ? stepUpText.passwordTitle : stepUpText.title}`}
          description={passwordOnly ? stepUpText.setupPasswordIntro : stepUpText.setupIntro}
        >
          <StepUpForm
            ways={ways}
            locked={
              lock.locked && !passwordOnly ? <StepUpLocked lock={lock} password={ways.includes("password")} /> : null
            }
            formAction={startSetupAction}
            passkeyAction={startSetupWithPasskeyAction}
            hidden={{ method: wanted }}
            submitLabel="Continue"
          />
          {allowed.length > 1 ? (
            <p className="mt-4 text-sm text-slate-600">
              Next you set up {methodLabels[wanted].noun}. You can choose{" "}
              {allowed
                .filter((m) => m !== wanted)
                .map((m) => methodLabels[m].noun)
                .join(" or ")}{" "}
              instead on the next step.
            </p>
          ) : null}
        </Card>
      </>
    );
  }

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1 text-sm text-slate-600">{intro}</p>
      </div>
      {body}
    </div>
  );
}
