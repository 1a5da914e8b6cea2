import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { requireSudo } from "@/dal";
import { isAdminRole } from "@/lib/people/roles";
import { NewTokenForm } from "./new-token-form";

export const metadata: Metadata = { title: "New personal access token" };

export default async function NewTokenPage() {
  const session = await requireSudo({ redirectTo: "/profile/confirm-password?next=/profile/tokens/new" });
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile#tokens" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">New personal access token</h1>
        <p className="mt-1 text-sm text-slate-600">
          For scripts and integrations calling the StrongSign API. Send it as{" "}
          <code className="font-mono">Authorization: Bearer …</code>.
        </p>
      </div>
      <Card title="Token details">
        <NewTokenForm isAdmin={isAdminRole(session.user.role)} />
      </Card>
    </div>
  );
}
