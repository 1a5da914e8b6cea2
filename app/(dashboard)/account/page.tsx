import type { Metadata } from "next";
import { LocalTime } from "@/components/local-time";
import { Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { allowedMethods, enforcementDeadline } from "@/lib/account/policy";
import { EnforcementForm } from "./forms";

export const metadata: Metadata = { title: "Account settings" };

export default async function AccountGeneralPage() {
  const { user } = await requireAdmin();
  const account = user.account;
  const deadline = enforcementDeadline(account);
  return (
    <Card
      id="enforcement"
      title="Two-factor authentication"
      description={
        account.enforceTwoFactor ? (
          <>
            Required for everyone who is not exempt
            {deadline ? (
              <>
                , from <LocalTime at={deadline} relative />
              </>
            ) : null}
            .
          </>
        ) : (
          "Users may choose whether to use two-factor authentication."
        )
      }
    >
      <EnforcementForm
        enabled={account.enforceTwoFactor}
        graceDays={account.enforceGraceDays}
        methods={allowedMethods(account)}
        lockoutThreshold={account.lockoutThreshold}
        requirePasskey={account.requirePasskey}
      />
    </Card>
  );
}
