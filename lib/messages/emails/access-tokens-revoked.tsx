import { formatDateTime } from "@/lib/format/user-agent";
import { Action, Layout, List, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

// `what` happened is the start of a sentence: "Your password was reset". Names and
// creation times only: a token's value is never stored, let alone mailed. Names are
// quoted as JSON so that one holding a line break cannot forge lines in the text.
export function accessTokensRevoked(props: {
  name: string;
  what: string;
  tokens: { name: string; createdAt: Date }[];
}): EmailContent {
  const items = props.tokens.map(
    (token) => `${JSON.stringify(token.name)}, created ${formatDateTime(token.createdAt)}`,
  );
  const revoked = `${props.what}, and every personal access token of your StrongSign account was revoked. Scripts and integrations that use them are refused from now on:`;
  const remake = "If you still need one, make a new token in My Profile:";
  const unknown =
    "If you don't recognise one of these tokens, someone else may have had access to your account: tell your administrator.";
  const link = url("/profile#tokens");
  return {
    subject: "Your personal access tokens were revoked",
    react: (
      <Layout title="Your personal access tokens were revoked" greeting={props.name}>
        <Paragraph>{revoked}</Paragraph>
        <List items={items} />
        <Paragraph>{remake}</Paragraph>
        <Action href={link}>Make a new token</Action>
        <Paragraph>{unknown}</Paragraph>
      </Layout>
    ),
  };
}
