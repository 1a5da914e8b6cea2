import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { RecoveryCodeActions, RecoveryCodeList } from "@/components/recovery-codes";
import { Alert, Card } from "@/components/ui";
import { requireSudo } from "@/dal";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import { methodLabels } from "@/lib/factors/kinds";
import { listRecoveryCodes } from "@/lib/factors/recovery-codes";
import { RegenerateCodes } from "./regenerate";

export const metadata: Metadata = { title: "Recovery codes" };

export default async function RecoveryCodesPage() {
  const session = await requireSudo({
    redirectTo: "/profile/confirm-password?next=/profile/two-factor/recovery-codes",
  });
  const method = session.user.twoFactorMethod;
  if (!method) redirect("/profile");
  const codes = await listRecoveryCodes({ userId: session.userId });
  const left = codes.filter((c) => !c.used).length;

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Recovery codes</h1>
        <p className="mt-1 text-sm text-slate-600">
          Each code signs you in once if you can&apos;t use {methodLabels[method].device}. Used codes are struck
          through.
        </p>
      </div>
      {codes.length === 0 ? (
        <Alert tone="warning">
          You have no recovery codes yet. Generate a set and keep it somewhere safe, so you can sign in without your
          phone.
        </Alert>
      ) : left <= RECOVERY_CODES_LOW ? (
        <Alert tone="warning">
          Only {left} recovery code{left === 1 ? "" : "s"} left. Generate new codes so you don&apos;t get locked out.
        </Alert>
      ) : null}
      {codes.length > 0 ? (
        <Card title={`${left} of ${codes.length} codes left`}>
          <RecoveryCodeList codes={codes} />
          <div className="mt-4">
            <RecoveryCodeActions codes={codes} accountEmail={session.user.email} />
          </div>
        </Card>
      ) : null}
      <Card
        title="Generate new codes"
        description={
          codes.length > 0
            ? "Replaces all your recovery codes. The old ones stop working at once."
            : "Ten codes, each usable once."
        }
      >
        <RegenerateCodes accountEmail={session.user.email} />
      </Card>
    </div>
  );
}
