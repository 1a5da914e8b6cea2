import { formatDateTime } from "@/lib/format/user-agent";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

// `deadline` null: no grace period, so setting up is due at the next sign-in. `passkey`:
// what is required of this person is a passkey or security key (docs/security-model.md,
// "Passkeys and security keys"). `daysAfterJoining`: for someone invited who has not joined
// yet, whose grace period starts the day they join (lib/account/policy.ts), not on the
// account's date.
export function twoFactorRequired(props: {
  name: string;
  accountName: string;
  deadline: Date | null;
  passkey?: boolean;
  daysAfterJoining?: number;
}): EmailContent {
  const subject = props.passkey
    ? `${props.accountName} now requires a passkey or security key`
    : `${props.accountName} now requires two-factor authentication`;
  const required = props.passkey
    ? `${props.accountName} now requires you to sign in with a passkey or security key: unlike codes, it can't be phished.`
    : `${props.accountName} now requires two-factor authentication for everyone who signs in.`;
  const when =
    props.daysAfterJoining !== undefined
      ? graceAfterJoiningText(props.daysAfterJoining)
      : props.deadline
        ? `Please set it up before ${formatDateTime(props.deadline)}. After that, signing in will lead only to the set-up page until you have done so.`
        : "You will be asked to set it up the next time you sign in.";
  const link = url("/profile");
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{required}</Paragraph>
        <Paragraph>{when}</Paragraph>
        <Paragraph>Set it up in My Profile:</Paragraph>
        <Action href={link}>Set up two-factor authentication</Action>
      </Layout>
    ),
  };
}

// Also in an invitation (./invitation.tsx), whose rule applies from the day of joining.
export function graceAfterJoiningText(days: number) {
  return days === 0
    ? "You will be asked to set it up when you first sign in."
    : `You have ${days} day${days === 1 ? "" : "s"} from the day you join to set it up in My Profile; after that, signing in leads only to the set-up page.`;
}
