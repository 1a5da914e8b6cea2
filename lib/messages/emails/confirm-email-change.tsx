import { EMAIL_CHANGE_TTL_MS } from "@/lib/config";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration, url } from "./shared";

// Sent to the new address: following the link proves the mailbox is the user's.
export function confirmEmailChange(props: {
  name: string;
  oldEmail: string;
  newEmail: string;
  token: string;
}): EmailContent {
  const subject = "Confirm your new StrongSign email address";
  const asked = `Someone (we hope you) asked to change the email address of a StrongSign account from ${props.oldEmail} to ${props.newEmail}. To confirm, open this link:`;
  const lifetime = `The link works once, for ${formatDuration(EMAIL_CHANGE_TTL_MS)}. Until then the account keeps its old address.`;
  const ignore = "If you didn't ask for this, ignore this email: nothing changes.";
  const link = url(`/confirm-email/${props.token}`);
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{asked}</Paragraph>
        <Action href={link}>Confirm my new address</Action>
        <Paragraph>{lifetime}</Paragraph>
        <Paragraph>{ignore}</Paragraph>
      </Layout>
    ),
  };
}
