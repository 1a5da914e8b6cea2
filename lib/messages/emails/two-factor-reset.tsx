import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

export function twoFactorReset(props: { name: string; accountName: string }): EmailContent {
  const what = `An administrator of ${props.accountName} reset two-factor authentication for your account. Your second factor and your recovery codes no longer work, and you have been signed out everywhere.`;
  const next = "Sign in with your password and set up two-factor authentication again in My Profile:";
  const notYou = "If you did not ask for this, tell your administrator.";
  const link = url("/profile");
  return {
    subject: "Your two-factor authentication was reset",
    react: (
      <Layout title="Your two-factor authentication was reset" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{next}</Paragraph>
        <Action href={link}>Set up two-factor authentication</Action>
        <Paragraph>{notYou}</Paragraph>
      </Layout>
    ),
  };
}
