import type { Metadata } from "next";
import { AuthCard } from "@/components/auth-card";
import { findBrowserTrustLink } from "@/lib/sign-in/known-device";
import { TrustForm } from "./trust-form";

export const metadata: Metadata = { title: "Sign in from this browser" };

export default async function TrustBrowserPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await findBrowserTrustLink(token);
  if (!link) {
    return (
      <AuthCard
        title="This link has expired"
        subtitle="It was already used, or is more than an hour old."
        footer={
          <a href="/login" className="font-medium text-indigo-700 hover:underline">
            Back to sign in
          </a>
        }
      >
        <p className="text-sm text-slate-600">
          On the sign-in page, you can ask for a new link when sign-in is paused.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Sign in from this browser"
      subtitle={`Let this browser sign in to ${link.user.email} while sign-in from other new browsers is paused.`}
    >
      <p className="mb-4 text-sm text-slate-600">You will still need your password and your second factor.</p>
      <TrustForm token={token} />
    </AuthCard>
  );
}
