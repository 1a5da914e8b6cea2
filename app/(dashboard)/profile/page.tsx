import type { Metadata } from "next";
import Link from "next/link";
import { PASSWORD_HINT } from "@/app/messages";
import { passkeyText } from "@/app/messages/passkeys";
import { twoFactorText } from "@/app/messages/two-factor";
import { LocalTime } from "@/components/local-time";
import { Alert, Badge, Button, buttonClass, Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { allowedMethods, canDisableTwoFactor, canRemoveMethod } from "@/lib/account/policy";
import { listAccessTokens } from "@/lib/api/access-tokens";
import { RECOVERY_CODES_LOW } from "@/lib/config";
import { methodLabels, methodsOf } from "@/lib/factors/kinds";
import { recoveryCodeCounts } from "@/lib/factors/recovery-codes";
import { describeUserAgent } from "@/lib/format/user-agent";
import { listPasskeys } from "@/lib/passkeys/manage";
import { passkeySignalsFor } from "@/lib/passkeys/signals";
import { passkeyUpgradeOffer } from "@/lib/passkeys/upgrade";
import { listSessions } from "@/lib/sessions/sessions";
import { revokeOtherSessionsAction, revokeSessionAction } from "./actions";
import { NameForm, PasswordForm } from "./forms";
import { PasskeySignals } from "./passkey-signals";
import { PasskeyUpgradeCard } from "./passkey-upgrade-card";
import { RememberedBrowsersCard } from "./remembered-browsers-card";
import { TokensCard } from "./tokens-card";
import { TwoFactorCard } from "./two-factor-card";

export const metadata: Metadata = { title: "My Profile" };

type Notices = { welcome?: string; denied?: string; twofactor?: string; removal?: string; "recovery-used"?: string };

export default async function ProfilePage({ searchParams }: { searchParams: Promise<Notices> }) {
  const current = await requireUser();
  const { welcome, denied, twofactor, removal, "recovery-used": recoveryUsed } = await searchParams;
  const [sessions, recoveryCodes, tokens, passkeys] = await Promise.all([
    listSessions(current.userId),
    recoveryCodeCounts(current.userId),
    listAccessTokens(current.userId),
    listPasskeys(current.userId),
  ]);
  const recoveryCodesLeft = recoveryCodes.left;
  const others = sessions.filter((s) => s.id !== current.id);
  const { user } = current;
  const methods = methodsOf(user);
  const removable = methods.filter((method) =>
    canRemoveMethod({ user, account: user.account, method, lastPasskey: passkeys.length === 1 }),
  );
  const upgrade = passkeyUpgradeOffer({ user, session: current });

  return (
    <div className="space-y-6">
      <PasskeySignals {...passkeySignalsFor(current.user, passkeys)} />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">My Profile</h1>
        <p className="mt-1 text-sm text-slate-600">Your details, password and where you are signed in.</p>
      </div>
      {welcome ? (
        <Alert tone="success">Your account is ready. Welcome to StrongSign, {current.user.name}.</Alert>
      ) : null}
      {denied === "account" ? <Alert tone="error">Account settings are only available to administrators.</Alert> : null}
      {twofactor === "enabled" || twofactor === "added" || twofactor === "passkey-added" ? (
        <Alert tone="success">
          {twofactor === "enabled"
            ? twoFactorText.on
            : twofactor === "passkey-added"
              ? passkeyText.added
              : "Your new sign-in method was added."}{" "}
          Your other sessions were signed out.
        </Alert>
      ) : null}
      {twofactor === "removed" ? <Alert tone="success">That sign-in method was removed.</Alert> : null}
      {removal ? (
        <Alert tone="error">
          {removal === "enforced"
            ? "Your organisation requires this method, so it can't be removed."
            : "That method was already removed."}
        </Alert>
      ) : null}
      {twofactor === "disabled" ? (
        <Alert tone="success">Two-factor authentication is off. Your other sessions were signed out.</Alert>
      ) : null}
      {recoveryUsed !== undefined && current.user.twoFactorMethod ? (
        <Alert tone={recoveryCodesLeft <= RECOVERY_CODES_LOW ? "warning" : "info"}>
          You signed in with a recovery code. {recoveryCodesLeft} recovery code{recoveryCodesLeft === 1 ? "" : "s"}{" "}
          left.
          {recoveryCodesLeft <= RECOVERY_CODES_LOW ? " Generate new codes now so you don't get locked out." : ""}
          {` If you lost ${methodLabels[methods[0] ?? "totp"].device}, remove it below and add a new method.`}
        </Alert>
      ) : null}

      {upgrade.show ? <PasskeyUpgradeCard conditional={upgrade.conditional} accountEmail={user.email} /> : null}

      <Card id="details" title="Profile" description="Your name as others in your organisation see it.">
        <NameForm name={current.user.name} email={current.user.email} />
      </Card>

      <Card id="password" title="Password" description="Changing your password signs you out everywhere else.">
        <PasswordForm passwordHint={PASSWORD_HINT} />
      </Card>

      <TwoFactorCard
        methods={methods}
        passkeys={passkeys}
        phone={user.phone}
        enabledAt={user.twoFactorEnabledAt}
        allowed={allowedMethods(user.account)}
        recoveryCodes={recoveryCodes}
        canDisable={canDisableTwoFactor({ user, account: user.account })}
        removable={removable}
      />

      <TokensCard tokens={tokens} />

      <Card id="sessions" title="Sessions" description="Browsers and devices where you are signed in.">
        <ul className="divide-y divide-slate-100" aria-label="Active sessions">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
                  {describeUserAgent(s.userAgent)}
                  {s.id === current.id ? <Badge tone="green">This device</Badge> : null}
                </p>
                <p id={`session-${s.id}`} className="mt-0.5 text-xs text-slate-500">
                  IP {s.ip ?? "unknown"} · Signed in <LocalTime at={s.createdAt} /> · Last seen{" "}
                  <LocalTime at={s.lastSeenAt} />
                </p>
              </div>
              {s.id !== current.id ? (
                <form action={revokeSessionAction}>
                  <input type="hidden" name="sessionId" value={s.id} />
                  <Button
                    type="submit"
                    variant="secondary"
                    aria-label={`Sign out ${describeUserAgent(s.userAgent)} from ${s.ip ?? "unknown IP"}`}
                    aria-describedby={`session-${s.id}`}
                  >
                    Sign out
                  </Button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        {others.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">You are not signed in anywhere else.</p>
        ) : null}
        {others.length > 0 || tokens.length > 0 ? (
          <form action={revokeOtherSessionsAction} className="mt-4 grid gap-3 border-t border-slate-100 pt-4">
            {tokens.length > 0 ? (
              <label className="flex items-start gap-3">
                <input
                  type="checkbox"
                  name="revokeTokens"
                  className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
                />
                <span>
                  <span className="block text-sm font-medium text-slate-900">
                    Also revoke my personal access tokens
                  </span>
                  <span className="block text-sm text-slate-600">
                    If someone else may have used your account, they may have made one. Scripts using your tokens will
                    stop working; we email you the list.
                  </span>
                </span>
              </label>
            ) : null}
            <div>
              <Button type="submit" variant="danger">
                Sign out of all other sessions
              </Button>
            </div>
          </form>
        ) : null}
      </Card>

      <RememberedBrowsersCard user={user} />

      <Card id="security-log" title="Security log" description="Sign-ins and changes to your account's security.">
        <Link href="/profile/security-log" className={buttonClass("secondary")}>
          View security log
        </Link>
      </Card>
    </div>
  );
}
