import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { EMAIL_CHANGE_TTL_MS } from "@/lib/config";
import { formatDuration } from "@/lib/messages/emails";
import { findEmailChange } from "@/lib/people/email-change";
import { ConfirmEmailForm } from "./confirm-form";

export const metadata: Metadata = { title: "Confirm your new email address" };

export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const change = await findEmailChange(token);
  if (!change) {
    return (
      <AuthCard
        title="This link is no longer valid"
        subtitle={`Links work once, for ${formatDuration(EMAIL_CHANGE_TTL_MS)}, and a newer request replaces an older one. Ask for a new link in My Profile.`}
      >
        <Link href="/profile/email" className="text-sm font-medium text-indigo-700 hover:underline">
          Change email address
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Confirm your new email address"
      subtitle={`Your StrongSign account will use ${change.newEmail} instead of ${change.oldEmail}, to sign in and for our emails.`}
    >
      <ConfirmEmailForm token={token} />
    </AuthCard>
  );
}
