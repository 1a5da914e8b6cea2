import type { Metadata } from "next";
import { clearAllSessionsAction } from "@/app/(dashboard)/account/actions";
import { SessionDurationForm, SmsPerHourForm } from "@/app/(dashboard)/account/forms";
import { SmsCountriesForm } from "@/app/(dashboard)/account/sms-countries-form";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button, Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { registeredSmsCountries } from "@/lib/account/settings";
import { SMS_PER_ACCOUNT_PER_HOUR_MAX, SMS_PER_USER_PER_HOUR } from "@/lib/config";
import { countryOptions } from "@/lib/messages/phone";
import { smsCountries } from "@/lib/messages/sms";
import { AuditStreamCard } from "./audit-stream";

export const metadata: Metadata = { title: "Advanced · Account settings" };

export default async function AccountAdvancedPage() {
  const { user } = await requireAdmin();
  return (
    <div className="space-y-6">
      <Card
        id="session-duration"
        title="Login session duration"
        description="How long people stay signed in before they must sign in again."
      >
        <SessionDurationForm days={user.account.sessionDurationDays} />
      </Card>
      <Card
        id="sms-limit"
        title="Text messages"
        description={`Texts cost money. Each person gets at most ${SMS_PER_USER_PER_HOUR} an hour; this caps the whole account.`}
      >
        <SmsPerHourForm smsPerHour={user.account.smsPerHour} max={SMS_PER_ACCOUNT_PER_HOUR_MAX} />
      </Card>
      <Card
        id="sms-countries"
        title="Where texts may go"
        description="Texts to some countries cost far more, and SMS pumping runs up bills there. Premium-rate and shared-cost numbers are never texted."
      >
        <SmsCountriesForm
          countries={countryOptions()}
          chosen={smsCountries(user.account)}
          registered={await registeredSmsCountries({ actor: user })}
          perCountryPerHour={user.account.smsPerCountryPerHour}
          max={SMS_PER_ACCOUNT_PER_HOUR_MAX}
        />
      </Card>
      <AuditStreamCard />
      <Card
        id="clear-sessions"
        title="Clear all sessions"
        description="Signs out every user of this account on their next request, you included."
      >
        <ConfirmDialog
          trigger="Clear all sessions"
          title="Clear all sessions?"
          confirm={
            <Button type="submit" form="clear-sessions-form" variant="danger">
              Clear all sessions
            </Button>
          }
        >
          <p>Everyone in {user.account.name}, including you, will have to sign in again.</p>
          <form id="clear-sessions-form" action={clearAllSessionsAction} className="mt-4">
            <label className="flex items-start gap-3">
              <input
                type="checkbox"
                name="revokeTokens"
                className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
              />
              <span>
                <span className="block font-medium text-slate-900">
                  Also revoke every user&apos;s personal access tokens
                </span>
                <span className="block">
                  For a suspected breach: scripts and integrations stop working until new tokens are made. Each user is
                  emailed the list of theirs.
                </span>
              </span>
            </label>
          </form>
        </ConfirmDialog>
      </Card>
    </div>
  );
}
