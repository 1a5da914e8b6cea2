import type { Metadata } from "next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { SubmitButton } from "@/components/submit-button";
import { Card } from "@/components/ui";
import { requireAdmin } from "@/lib/auth-guards";
import { clearAllSessionsAction } from "../actions";
import { SessionDurationForm } from "../forms";

export const metadata: Metadata = { title: "Advanced · Account settings" };

export default async function AccountAdvancedPage() {
  const { user } = await requireAdmin();
  return (
    <div className="space-y-6">
      <Card id="session-duration" title="Login session duration" description="How long people stay signed in before they must sign in again.">
        <SessionDurationForm days={user.account.sessionDurationDays} />
      </Card>
      <Card id="clear-sessions" title="Clear all sessions" description="Signs out every user of this account on their next request, you included.">
        <ConfirmDialog
          trigger="Clear all sessions"
          title="Clear all sessions?"
          confirm={<form action={clearAllSessionsAction}><SubmitButton variant="danger" pendingText="Clearing…">Clear all sessions</SubmitButton></form>}
        >
          Everyone in {user.account.name}, including you, will have to sign in again.
        </ConfirmDialog>
      </Card>
    </div>
  );
}
