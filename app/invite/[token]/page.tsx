import type { Metadata } from "next";
import Link from "next/link";
import { PASSWORD_HINT } from "@/app/messages";
import { AuthCard } from "@/components/auth-card";
import { findInvitation } from "@/lib/people/invitations";
import { AcceptInvitationForm } from "./accept-form";

export const metadata: Metadata = { title: "Join your team" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(token);
  if (!invitation) {
    return (
      <AuthCard
        title="This invitation link is no longer valid"
        subtitle="Links work once and expire after 7 days; a link stops working when a new one is sent or the invitation is revoked. Ask an administrator to send you a new invitation."
      >
        <Link href="/login" className="text-sm font-medium text-indigo-700 hover:underline">
          Go to sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Join ${invitation.accountName}`} subtitle={`Choose a password for ${invitation.email}.`}>
      <AcceptInvitationForm token={token} passwordHint={PASSWORD_HINT} />
    </AuthCard>
  );
}
