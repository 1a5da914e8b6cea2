import type { Metadata } from "next";
import Link from "next/link";
import { PASSWORD_HINT } from "@/app/messages";
import { AuthCard } from "@/components/auth-card";
import { findPasswordReset } from "@/lib/sign-in/password-reset";
import { ResetPasswordForm } from "./reset-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await findPasswordReset(token);
  if (!reset) {
    return (
      <AuthCard title="This link is no longer valid" subtitle="Reset links work once and expire after one hour.">
        <Link href="/login/forgot" className="text-sm font-medium text-indigo-700 hover:underline">
          Ask for a new link
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={`For ${reset.email}. Every session of this account will be signed out.`}
    >
      <ResetPasswordForm token={token} email={reset.email} passwordHint={PASSWORD_HINT} />
    </AuthCard>
  );
}
