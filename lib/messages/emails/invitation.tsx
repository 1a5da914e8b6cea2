import type { TwoFactorMethod } from "@/lib/factors/kinds";
import { formatDateTime } from "@/lib/format/user-agent";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";
import { graceAfterJoiningText } from "./two-factor-required";

// What an invitation says of the account's two-factor rule, null when there is none:
// the days a newcomer has from the day they join (0: at their first sign-in), and the
// methods the account allows them (only passkeys when it requires one of them).
export type InvitationTwoFactor = { graceDays: number; methods: TwoFactorMethod[]; passkey: boolean };

const methodInInvitation: Record<TwoFactorMethod, string> = {
  passkey: "a passkey or security key",
  totp: "a code from an authenticator app",
  sms: "a code by text message",
  email: "a code by email",
};

function twoFactorRuleText(accountName: string, rule: InvitationTwoFactor) {
  if (rule.passkey)
    return `${accountName} requires you to sign in with a passkey or security key: unlike codes, it can't be phished.`;
  const methods = rule.methods.map((method) => methodInInvitation[method]);
  const asks = methods.length === 1 ? methods[0] : `one of these: ${methods.join("; ")}`;
  return `${accountName} requires two-factor authentication: after your password, each sign-in asks for ${asks}.`;
}

export function invitation(props: {
  name: string;
  inviterName: string;
  accountName: string;
  token: string;
  expiresAt: Date;
  twoFactor: InvitationTwoFactor | null;
}): EmailContent {
  const subject = `You're invited to ${props.accountName}`;
  const invited = `${props.inviterName} invited you to ${props.accountName}. Choose a password to finish setting up your account:`;
  const lifetime = `The link works once, until ${formatDateTime(props.expiresAt)}.`;
  const rule = props.twoFactor;
  const twoFactor = rule
    ? `${twoFactorRuleText(props.accountName, rule)} ${graceAfterJoiningText(rule.graceDays)}`
    : null;
  const link = url(`/invite/${props.token}`);
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{invited}</Paragraph>
        <Action href={link}>Choose a password</Action>
        <Paragraph>{lifetime}</Paragraph>
        {twoFactor ? <Paragraph>{twoFactor}</Paragraph> : null}
      </Layout>
    ),
  };
}
