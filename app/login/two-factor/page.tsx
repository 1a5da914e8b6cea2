import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { codeFallbackText, LOCKED_HELP, LOCKED_TEXT, SIGN_IN_CODES_RULE, SIGN_IN_CODES_USED_UP } from "@/app/messages";
import { AuthCard } from "@/components/auth-card";
import { LocalTime } from "@/components/local-time";
import { ResendCodeForm } from "@/components/resend-code-form";
import { DeliveredCodeTroubleshooting, TotpTroubleshooting } from "@/components/troubleshooting";
import { Alert, buttonClass } from "@/components/ui";
import { methodLabels } from "@/lib/factors/kinds";
import { readChallengeCookie } from "@/lib/sign-in/challenge-cookie";
import type { LockState } from "@/lib/sign-in/lockout";
import { findLoginChallenge } from "@/lib/sign-in/login-challenge";
import { readRememberOffer } from "@/lib/sign-in/remembered-browser";
import { readEndedSignIn, readSecondStep } from "@/lib/sign-in/second-step";
import { resendCodeAction, switchMethodAction } from "./actions";
import { PasskeyStep } from "./passkey-step";
import { SecondFactorForm } from "./second-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

function When({ at }: { at: Date }) {
  return <LocalTime at={at} style="time" relative />;
}

const footer = (
  <a href="/login" className="font-medium text-indigo-700 hover:underline">
    Sign in as someone else
  </a>
);

// Told at once, before typing a code that could not count, and at the moment of the lock.
function Locked({ lock }: { lock: Extract<LockState, { locked: true }> }) {
  return (
    <AuthCard title="Two-factor authentication" subtitle="Signing in is paused for your account." footer={footer}>
      <Alert tone="error">
        {LOCKED_TEXT.lead} <When at={lock.until} />. {LOCKED_TEXT.rule} {LOCKED_HELP}
        {lock.emailed ? ` ${LOCKED_TEXT.emailed}` : null}
      </Alert>
      <p className="mt-4 text-sm text-slate-600">After that time, sign in again with your password.</p>
    </AuthCard>
  );
}

// What this page says about the code comes from the challenge row alone (where it was
// sent, and why not by text), never from the URL, which anyone can write. A sign-in that
// has ended is told here too, from its row: its texted codes used up, or a lock.
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ method?: string }> }) {
  const token = await readChallengeCookie();
  const challenge = await findLoginChallenge(token);
  if (!challenge?.pendingFactor) {
    const ended = await readEndedSignIn(token);
    if (!ended) redirect("/login?reason=expired");
    if (ended.ended === "locked") return <Locked lock={ended.lock} />;
    return (
      <AuthCard title="Two-factor authentication" subtitle="This sign-in has ended.">
        <Alert tone="error">{SIGN_IN_CODES_USED_UP}</Alert>
        <a href="/login" className={buttonClass("primary", "mt-4 w-full")}>
          Sign in again
        </a>
      </AuthCard>
    );
  }
  const { method } = await searchParams;
  const factor = challenge.pendingFactor;

  const { lock, delivery, destination, others, hasRecoveryCodes, issuer } = await readSecondStep({ challenge });
  const remember = readRememberOffer(challenge.user);
  if (lock.locked) return <Locked lock={lock} />;

  const recovery = method === "recovery" && hasRecoveryCodes;
  // Shown on the recovery-code form too, which always leads back to the method the
  // sign-in waits for.
  const tryAnotherWay =
    others.length > 0 || hasRecoveryCodes ? (
      <section aria-labelledby="another-way" className="mt-6 border-t border-slate-200 pt-4">
        <h2 id="another-way" className="text-sm font-medium text-slate-800">
          Try another way
        </h2>
        <ul className="mt-2 space-y-1 text-sm">
          {others.map((m) => (
            <li key={m}>
              <form action={switchMethodAction}>
                <input type="hidden" name="method" value={m} />
                <button type="submit" className="font-medium text-indigo-700 hover:underline">
                  {methodLabels[m].instead}
                </button>
              </form>
            </li>
          ))}
          {recovery ? (
            <li>
              <a href="/login/two-factor" className="font-medium text-indigo-700 hover:underline">
                {methodLabels[factor].instead}
              </a>
            </li>
          ) : hasRecoveryCodes ? (
            <li>
              <a href="/login/two-factor?method=recovery" className="font-medium text-indigo-700 hover:underline">
                Use a recovery code
              </a>
            </li>
          ) : null}
        </ul>
      </section>
    ) : null;

  if (factor === "passkey" && !recovery) {
    return (
      <AuthCard
        title="Two-factor authentication"
        subtitle="Use your passkey or security key to finish signing in."
        footer={footer}
      >
        <PasskeyStep rememberDays={remember.passkey} />
        {tryAnotherWay}
      </AuthCard>
    );
  }

  const subtitle = recovery
    ? "Enter one of the recovery codes you saved when you set up two-factor authentication."
    : !delivery
      ? `Open your authenticator app and enter the 6-digit code for ${issuer}.`
      : !delivery.sent
        ? "We haven't sent you a sign-in code for this sign-in."
        : delivery.channel === "sms"
          ? `We sent a 6-digit code by SMS to ${destination ?? "your phone"}.`
          : `We emailed a 6-digit code to ${destination}.`;
  const orRecovery = hasRecoveryCodes ? ", or use a recovery code" : "";

  return (
    <AuthCard title="Two-factor authentication" subtitle={subtitle} footer={footer}>
      {delivery && !recovery ? (
        delivery.sent ? (
          delivery.fallback ? (
            <div className="mb-4">
              <Alert tone="warning">{codeFallbackText(delivery.fallback)}</Alert>
            </div>
          ) : null
        ) : (
          <div className="mb-4">
            <Alert tone="warning">
              {delivery.nextCodeAt ? (
                <>
                  We&apos;ve sent you many sign-in codes this hour, so we didn&apos;t send another. Ask for a new one
                  after <When at={delivery.nextCodeAt} />
                  {orRecovery}.
                </>
              ) : (
                <>We couldn&apos;t send your sign-in code. Use &ldquo;Resend code&rdquo; to try again{orRecovery}.</>
              )}
            </Alert>
          </div>
        )
      ) : null}
      <SecondFactorForm
        kind={recovery ? "recovery" : "code"}
        codeLabel={delivery ? "Sign-in code" : "Authentication code"}
        hint={delivery && !recovery ? SIGN_IN_CODES_RULE : undefined}
        rememberDays={remember.code}
      />
      {delivery && !recovery ? (
        <div className="mt-4 text-center">
          <ResendCodeForm action={resendCodeAction} />
        </div>
      ) : null}
      {!recovery ? (
        <div className="mt-6">
          {delivery ? (
            <DeliveredCodeTroubleshooting
              method={delivery.sent ? delivery.channel : factor === "sms" ? "sms" : "email"}
            />
          ) : (
            <TotpTroubleshooting issuer={issuer} />
          )}
        </div>
      ) : null}
      {tryAnotherWay}
    </AuthCard>
  );
}
