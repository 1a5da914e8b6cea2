import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

export function passwordChanged(props: { name: string; ip: string }): EmailContent {
  const what = `The password of your StrongSign account was reset (IP ${props.ip}), and every session was signed out.`;
  const link = url("/login");
  return {
    subject: "Your StrongSign password was changed",
    react: (
      <Layout title="Your StrongSign password was changed" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>If this wasn't you, tell your administrator at once.</Paragraph>
        <Action href={link}>Sign in</Action>
      </Layout>
    ),
  };
}
