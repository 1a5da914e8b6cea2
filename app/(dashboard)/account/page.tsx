import type { Metadata } from "next";
import { LocalTime } from "@/components/local-time";
import { Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { allowedMethods, enforcementDeadline } from "@/lib/account/policy";
import { REMEMBER_BROWSER_MAX_DAYS } from "@/lib/config";
import { EnforcementForm, RememberBrowserForm } from "./forms";

export const metadata: Metadata = { title: "Account settings" };

export default async function AccountGeneralPage() {
  const { user } = await requireAdmin();
  const account = user.account;
  const deadline = enforcementDeadline(account);
  return (
    <div className="space-y-6">
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
      <Card
        id="remember-browser"
        title="Remember this browser"
        description="Lets people skip the second step on a browser of their own for a number of days."
      >
        <RememberBrowserForm
          allowed={account.rememberBrowserAllowed}
          days={account.rememberBrowserDays}
          max={REMEMBER_BROWSER_MAX_DAYS}
        />
      </Card>
    </div>
  );
}
