import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { sessionEndedText, signInErrorText } from "@/app/messages";
import { AuthCard } from "@/components/auth-card";
import { Alert } from "@/components/ui";
import { getCurrentSession } from "@/dal";
import { isSetupOpen } from "@/lib/account/first-run";
import { endedSessionReason } from "@/lib/sessions/request-cache";
import { readLoginEmail } from "@/lib/sign-in/login-hint";
import { LoginForm } from "./login-form";
import { PasskeySignIn } from "./passkey-sign-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  if (await isSetupOpen()) redirect("/setup");
  if (await getCurrentSession()) redirect("/profile");
  const { reason } = await searchParams;
  // Why this browser's session ended, when someone else ended it: read from the server's
  // record of the session the browser still holds, never from the URL.
  const ended = reason ? null : await endedSessionReason();
  return (
    <AuthCard title="Sign in" subtitle="Use your work email and password.">
      {ended ? (
        <div className="mb-4">
          <Alert tone="info">{sessionEndedText[ended]}</Alert>
        </div>
      ) : null}
      {reason === "signed-out" ? (
        <div className="mb-4">
          <Alert tone="success">You have been signed out.</Alert>
        </div>
      ) : null}
      {reason === "password-set" ? (
        <div className="mb-4">
          <Alert tone="success">Your password is set. Sign in to continue.</Alert>
        </div>
      ) : null}
      {reason === "password-reset" ? (
        <div className="mb-4">
          <Alert tone="success">
            Your password was changed and every session signed out. Sign in with your new password.
          </Alert>
        </div>
      ) : null}
      {reason === "browser-recognised" ? (
        <div className="mb-4">
          <Alert tone="success">This browser is recognised now. Sign in with your password.</Alert>
        </div>
      ) : null}
      {reason === "expired" ? (
        <div className="mb-4">
          <Alert tone="info">{signInErrorText.challenge_expired}</Alert>
        </div>
      ) : null}
      <LoginForm email={reason === "password-set" ? await readLoginEmail() : undefined} />
      <div className="mt-4">
        <PasskeySignIn />
      </div>
    </AuthCard>
  );
}
