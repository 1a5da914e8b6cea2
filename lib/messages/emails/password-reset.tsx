import { PASSWORD_RESET_TTL_MS } from "@/lib/config";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration, url } from "./shared";

export function passwordReset(props: { name: string; token: string }): EmailContent {
  const link = url(`/reset-password/${props.token}`);
  const lifetime = `The link works once, for ${formatDuration(PASSWORD_RESET_TTL_MS)}.`;
  const twoFactor = "Two-factor authentication stays on: you will still need your code to sign in.";
  const ignore = "If you didn't ask for this, ignore this email: your password stays as it is.";
  const asked = "Someone (we hope you) asked to reset the password of your StrongSign account.";
  return {
    subject: "Reset your StrongSign password",
    react: (
      <Layout title="Reset your StrongSign password" greeting={props.name}>
        <Paragraph>{asked} Choose a new password here:</Paragraph>
        <Action href={link}>Choose a new password</Action>
        <Paragraph>
          {lifetime} {twoFactor}
        </Paragraph>
        <Paragraph>{ignore}</Paragraph>
      </Layout>
    ),
  };
}
