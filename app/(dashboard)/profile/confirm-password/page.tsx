import type { Metadata } from "next";
import Link from "next/link";
import { SUDO_DESTINATIONS, SUDO_PURPOSES } from "@/app/(dashboard)/profile/password-again";
import { PasswordConfirmForm } from "@/components/password-confirm-form";
import { Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { confirmPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your password" };

export default async function ConfirmPasswordPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await requireUser();
  const requested = (await searchParams).next;
  const next = SUDO_DESTINATIONS.find((path) => path === requested) ?? SUDO_DESTINATIONS[0];
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm your password</h1>
      <Card
        title={`To ${SUDO_PURPOSES[next]}`}
        description="This is a sensitive action: enter your password to continue. You won't be asked again for the next 15 minutes."
      >
        <PasswordConfirmForm action={confirmPasswordAction} submitLabel="Confirm" hidden={{ next }} />
        {/* Signed in with a passkey alone, someone may not remember the password: every
            user has one (setup and invitations set it), and the emailed reset gives it back. */}
        <p className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            Back to My Profile
          </Link>
          <Link href="/login/forgot" className="text-indigo-700 hover:underline">
            Forgot your password?
          </Link>
        </p>
      </Card>
    </div>
  );
}
