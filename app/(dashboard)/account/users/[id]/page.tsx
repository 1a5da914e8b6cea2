import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  changeRoleAction,
  expireSessionsAction,
  resendInvitationAction,
  resetTwoFactorAction,
  revokeInvitationAction,
  setDisabledAction,
  setExemptionAction,
  setPreferenceAction,
  unlockAction,
} from "@/app/(dashboard)/account/users/actions";
import { twoFactorStatusText } from "@/app/messages";
import { ActionForm } from "@/components/action-form";
import { LocalTime } from "@/components/local-time";
import { Badge, Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { countryFromLanguages, maskPhone, phoneCountry } from "@/lib/messages/phone";
import { smsCountryOptions } from "@/lib/messages/sms";
import { getUserForAdmin } from "@/lib/people/users-list";
import { AdminEmailForm } from "./email-form";
import { PasskeyList } from "./passkey-list";
import { PreferenceForm } from "./preference-form";

export const metadata: Metadata = { title: "Edit user · Account settings" };

export default async function AccountUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { user: actor } = await requireAdmin();
  const { id } = await params;
  const result = await getUserForAdmin({ actor, userId: id });
  if (!result.ok) notFound();
  const target = result.user;
  const hidden = { userId: target.id };
  const isOwner = target.role === "OWNER";
  const isSelf = target.id === actor.id;
  const invitation = target.invitation;

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/account/users" className="text-indigo-700 hover:underline">
          ← Users
        </Link>
      </p>
      <Card title={target.name} description={target.email}>
        <dl className="grid gap-4 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-500">Role</dt>
            <dd className="mt-1">
              <Badge tone={target.role === "MEMBER" ? "slate" : "indigo"}>{target.role.toLowerCase()}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Two-factor</dt>
            <dd className="mt-1">
              <Badge tone={target.twoFactorStatus === "none" ? "amber" : "green"}>
                {twoFactorStatusText[target.twoFactorStatus]}
              </Badge>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd className="mt-1 font-medium">
              {target.lastSignInAt ? <LocalTime at={target.lastSignInAt} /> : "Never"}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">State</dt>
            <dd className="mt-1 flex gap-1">
              {target.disabled ? (
                <Badge tone="red">disabled</Badge>
              ) : target.joined ? (
                <Badge tone="green">active</Badge>
              ) : (
                <Badge tone="amber">invited</Badge>
              )}
              {target.locked ? <Badge tone="red">locked</Badge> : null}
            </dd>
          </div>
        </dl>
      </Card>

      {!target.joined ? (
        <Card title="Invitation" description="They join by choosing a password through the link in their invitation.">
          <p className="mb-4 text-sm text-slate-700">
            {invitation?.status === "pending" ? (
              <>
                Pending: sent <LocalTime at={invitation.sentAt} />, the link works until{" "}
                <LocalTime at={invitation.expiresAt} relative />.
              </>
            ) : invitation?.status === "expired" ? (
              <>
                Expired on <LocalTime at={invitation.expiresAt} />: the link no longer works. Send a new one.
              </>
            ) : invitation?.status === "revoked" ? (
              "Revoked: the link no longer works. Send a new one to let them join."
            ) : (
              "No invitation is pending. Send one to let them join."
            )}
          </p>
          <div className="space-y-4">
            <ActionForm
              action={resendInvitationAction}
              hidden={hidden}
              label={invitation?.status === "pending" ? "Resend invitation" : "Send a new invitation"}
              variant="primary"
              disabled={target.disabled}
            />
            {/* Always rendered (disabled when nothing is pending), so its answer stays on screen. */}
            <ActionForm
              action={revokeInvitationAction}
              hidden={hidden}
              label="Revoke invitation"
              variant="danger"
              disabled={invitation?.status !== "pending"}
              confirm={{
                title: "Revoke this invitation?",
                body: `The link sent to ${target.email} stops working at once. You can send a new one later.`,
              }}
            />
          </div>
        </Card>
      ) : null}

      {!isOwner && !isSelf ? (
        <Card title="Email address" description="The address they sign in with and receive security emails at.">
          <AdminEmailForm
            userId={target.id}
            email={target.email}
            hint={
              target.joined
                ? "We email both the old and the new address. Unused reset links sent to the old one stop working."
                : "Their invitation to the old address stops working: send a new one after changing it."
            }
          />
        </Card>
      ) : null}

      {!isOwner ? (
        <Card title="Role" description="Admins can change account settings and manage users.">
          <ActionForm action={changeRoleAction} hidden={hidden} label="Save role">
            <div>
              <label htmlFor="role" className="block text-sm font-medium text-slate-800">
                Role
              </label>
              <select
                id="role"
                name="role"
                defaultValue={target.role}
                className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
              >
                <option value="MEMBER">Member</option>
                <option value="ADMIN">Admin</option>
              </select>
            </div>
          </ActionForm>
        </Card>
      ) : null}

      <Card title="Two-factor authentication" description="How this person proves it is them after the password.">
        <div className="space-y-6">
          <PreferenceForm
            action={setPreferenceAction}
            userId={target.id}
            method={target.deliveredMethod}
            phone={target.phone ? { masked: maskPhone(target.phone), country: phoneCountry(target.phone) } : null}
            defaultCountry={countryFromLanguages((await headers()).get("accept-language"))}
            countries={smsCountryOptions(actor.account, phoneCountry(target.phone))}
            phoneVerified={target.phoneVerifiedAt !== null}
          />
          <PasskeyList passkeys={target.passkeys} />
          <div className="border-t border-slate-100 pt-4">
            <p className="mb-2 text-sm text-slate-600">
              {target.twoFactorExempt
                ? "Exempt from the account's two-factor requirement (for integrations that cannot do 2FA)."
                : "Exempting someone lets them sign in without two-factor authentication even when it is required."}
            </p>
            <ActionForm
              action={setExemptionAction}
              hidden={{ ...hidden, exempt: String(!target.twoFactorExempt) }}
              label={target.twoFactorExempt ? "Remove exemption" : "Exempt from requirement"}
            />
          </div>
          <div className="border-t border-slate-100 pt-4">
            <p className="mb-2 text-sm text-slate-600">
              {target.locked
                ? "Second-factor sign-in is locked after too many failed attempts."
                : "Not locked: second-factor sign-in works normally."}
            </p>
            <ActionForm action={unlockAction} hidden={hidden} label="Unlock" disabled={!target.locked} />
          </div>
          <div className="border-t border-slate-100 pt-4">
            <p className="mb-2 text-sm text-slate-600">
              {target.twoFactorMethod
                ? "For someone who lost their device and their recovery codes."
                : "No second factor is set up."}
            </p>
            <ActionForm
              action={resetTwoFactorAction}
              hidden={hidden}
              label="Reset two-factor authentication"
              variant="danger"
              disabled={!target.twoFactorMethod}
              confirm={{
                title: "Reset two-factor authentication?",
                body: `${target.name}'s second factor and recovery codes stop working and all their sessions end. They will be emailed.`,
              }}
            />
          </div>
        </div>
      </Card>

      <Card title="Sessions and access">
        <div className="flex flex-wrap gap-6">
          <ActionForm
            action={expireSessionsAction}
            hidden={hidden}
            label="Expire sessions"
            confirm={{
              title: "Expire sessions?",
              body: `${target.name} will be signed out everywhere on their next request.`,
            }}
          />
          {!isOwner && !isSelf ? (
            <ActionForm
              action={setDisabledAction}
              hidden={{ ...hidden, disabled: String(!target.disabled) }}
              label={target.disabled ? "Enable user" : "Disable user"}
              variant={target.disabled ? "secondary" : "danger"}
              confirm={
                target.disabled
                  ? undefined
                  : {
                      title: "Disable this user?",
                      body: `${target.name} will be signed out and unable to sign in until enabled again.`,
                    }
              }
            />
          ) : null}
        </div>
      </Card>
    </div>
  );
}
