import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { FIRST_PASSWORD_HINT } from "@/app/messages";
import { AuthCard } from "@/components/auth-card";
import { isSetupOpen } from "@/lib/account/first-run";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up StrongSign" };

export default async function SetupPage() {
  if (!(await isSetupOpen())) redirect("/login");
  return (
    <AuthCard
      title="Set up StrongSign"
      subtitle="Create your organisation's account and its owner. This page closes for good once it is done."
    >
      <SetupForm passwordHint={FIRST_PASSWORD_HINT} />
    </AuthCard>
  );
}
