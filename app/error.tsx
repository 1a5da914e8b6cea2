"use client";

import { AuthCard } from "@/components/auth-card";
import { Button } from "@/components/ui";

// No stack trace or message reaches the user; the digest lets an operator find the log line.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <AuthCard title="Something went wrong" subtitle="The request could not be completed. Nothing was changed.">
      {error.digest ? <p className="mb-4 text-xs text-slate-500">Reference: {error.digest}</p> : null}
      <Button onClick={reset}>Try again</Button>
    </AuthCard>
  );
}
