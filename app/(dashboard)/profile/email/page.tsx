import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card } from "@/components/ui";
import { requireSudo } from "@/dal";
import { formatDateTime } from "@/lib/format/user-agent";
import { pendingEmailChange } from "@/lib/people/email-change";
import { EmailChangeForm } from "./email-form";

export const metadata: Metadata = { title: "Change email address" };

export default async function ChangeEmailPage() {
  const session = await requireSudo({ redirectTo: "/profile/confirm-password?next=/profile/email" });
  const pending = await pendingEmailChange(session.userId);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile#details" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Change email address</h1>
        <p className="mt-1 text-sm text-slate-600">
          You sign in with your email address, and security notices go there. Your current address is{" "}
          <strong className="break-all font-medium text-slate-900">{session.user.email}</strong>.
        </p>
      </div>
      {pending ? (
        <Alert tone="info">
          Waiting for you to open the link sent to <strong className="break-all">{pending.newEmail}</strong> (until{" "}
          {formatDateTime(pending.expiresAt)}). Asking again replaces it.
        </Alert>
      ) : null}
      <Card
        title="New address"
        description="Once you confirm, we tell your old address. Your sessions stay signed in; unused password-reset links stop working."
      >
        <EmailChangeForm />
      </Card>
    </div>
  );
}
