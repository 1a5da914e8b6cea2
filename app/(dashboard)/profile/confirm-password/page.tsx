import type { Metadata } from "next";
import Link from "next/link";
import { SUDO_DESTINATIONS, SUDO_PURPOSES } from "@/app/(dashboard)/profile/step-up";
import { StepUpForm } from "@/app/(dashboard)/profile/step-up-form";
import { StepUpLocked } from "@/app/(dashboard)/profile/step-up-locked";
import { stepUpText } from "@/app/messages/step-up";
import { Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { readSudoWays } from "@/lib/sessions/sudo";
import { confirmStepUpAction, confirmStepUpPasskeyAction } from "./actions";

export const metadata: Metadata = { title: stepUpText.title };

// Sudo mode (README "Sudo mode"): the sensitive pages send the person here, and back once
// they have confirmed it's them with any way they have.
export default async function ConfirmPasswordPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const session = await requireUser();
  const requested = (await searchParams).next;
  const next = SUDO_DESTINATIONS.find((path) => path === requested) ?? SUDO_DESTINATIONS[0];
  const { ways, lock } = await readSudoWays({ userId: session.userId });
  const passwordOnly = ways.length === 1 && ways[0] === "password";
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">
        {passwordOnly ? stepUpText.passwordTitle : stepUpText.title}
      </h1>
      <Card
        title={`To ${SUDO_PURPOSES[next]}`}
        description={passwordOnly ? stepUpText.passwordIntro : stepUpText.intro}
      >
        <StepUpForm
          ways={ways}
          locked={
            lock.locked && !passwordOnly ? <StepUpLocked lock={lock} password={ways.includes("password")} /> : null
          }
          formAction={confirmStepUpAction}
          passkeyAction={confirmStepUpPasskeyAction}
          hidden={{ next }}
          submitLabel="Confirm"
        />
        <p className="mt-6 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            Back to My Profile
          </Link>
          {ways.includes("password") ? (
            <Link href="/login/forgot" className="text-indigo-700 hover:underline">
              Forgot your password?
            </Link>
          ) : null}
        </p>
      </Card>
    </div>
  );
}
