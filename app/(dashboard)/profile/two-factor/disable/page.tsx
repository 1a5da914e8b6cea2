import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { methodLabels } from "@/lib/factors/kinds";
import { mustHaveTwoFactor } from "@/lib/factors/removal";
import { DisableForm } from "./disable-form";

export const metadata: Metadata = { title: "Disable two-factor authentication" };

export default async function DisableTwoFactorPage() {
  const session = await requireUser();
  const method = session.user.twoFactorMethod;
  if (!method) redirect("/profile");
  const enforced = mustHaveTwoFactor(session.user, session.user.account);
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Disable two-factor authentication</h1>
      </div>
      {enforced ? (
        <Alert tone="warning">
          Your organisation requires two-factor authentication, so it can&apos;t be turned off. You can change how you
          get codes in My Profile instead.
        </Alert>
      ) : (
        <Card
          title="Confirm it's you"
          description={`Your ${methodLabels[method].codes} and recovery codes will stop working, and you will be signed out of your other sessions.`}
        >
          <DisableForm askCode={method === "totp"} />
        </Card>
      )}
    </div>
  );
}
