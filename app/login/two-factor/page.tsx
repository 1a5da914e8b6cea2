import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { ResendCodeForm } from "@/components/resend-code-form";
import { DeliveredCodeTroubleshooting, TotpTroubleshooting } from "@/components/troubleshooting";
import { Alert } from "@/components/ui";
import { readChallengeCookie } from "@/lib/challenge-cookie";
import { findLoginChallenge } from "@/lib/login-challenge";
import { countRemainingRecoveryCodes } from "@/lib/recovery-codes";
import { resendCodeAction } from "./actions";
import { SecondFactorForm } from "./second-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

function maskEmail(email: string) {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ method?: string; sent?: string }> }) {
  const challenge = await findLoginChallenge(await readChallengeCookie());
  if (!challenge || !challenge.pendingFactor) redirect("/login?reason=expired");
  const { method, sent } = await searchParams;
  const factor = challenge.pendingFactor;
  const hasRecoveryCodes = (await countRemainingRecoveryCodes(challenge.userId)) > 0;
  const recovery = method === "recovery" && hasRecoveryCodes;
  const delivered = factor === "sms" || factor === "email";
  const subtitle = recovery
    ? "Enter one of the recovery codes you saved when you set up two-factor authentication."
    : factor === "sms" && sent !== "email-fallback"
      ? `We sent a 6-digit code by SMS to your phone ending in ${challenge.user.phone?.slice(-2) ?? "••"}.`
      : delivered
        ? `We emailed a 6-digit code to ${maskEmail(challenge.user.email)}.`
        : "Open your authenticator app and enter the 6-digit code for StrongSign.";

  return (
    <AuthCard title="Two-factor authentication" subtitle={subtitle} footer={<a href="/login" className="font-medium text-indigo-700 hover:underline">Sign in as someone else</a>}>
      {sent === "email-fallback" && !recovery ? (
        <div className="mb-4"><Alert tone="warning">We couldn&apos;t send a text message, so we emailed the code to you instead.</Alert></div>
      ) : null}
      <SecondFactorForm kind={recovery ? "recovery" : "totp"} codeLabel={delivered ? "Sign-in code" : "Authentication code"} offerRecovery={hasRecoveryCodes} />
      {delivered && !recovery ? <div className="mt-4 text-center"><ResendCodeForm action={resendCodeAction} /></div> : null}
      {!recovery ? <div className="mt-6">{delivered ? <DeliveredCodeTroubleshooting method={factor === "sms" && sent !== "email-fallback" ? "sms" : "email"} /> : <TotpTroubleshooting />}</div> : null}
    </AuthCard>
  );
}
