import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

export function accessTokenCreated(props: {
  name: string;
  tokenName: string;
  scopes: string[];
  ip: string;
}): EmailContent {
  const what = `A personal access token named "${props.tokenName}" with the scopes ${props.scopes.join(", ")} was created for your StrongSign account (IP ${props.ip}).`;
  const advice = "If this wasn't you, revoke it in My Profile and change your password:";
  const link = url("/profile#tokens");
  return {
    subject: "A new personal access token was created",
    react: (
      <Layout title="A new personal access token was created" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Review your tokens</Action>
      </Layout>
    ),
  };
}
