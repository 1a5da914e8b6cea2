import { formatDateTime } from "@/lib/format/user-agent";
import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

// `what` happened is the start of a sentence: "Your password was reset". Names and
// creation times only: a token's value is never stored, let alone mailed. Names are
// quoted as JSON so that one holding a line break cannot forge lines in the text.
export function accessTokensRevoked(props: {
  name: string;
  what: string;
  tokens: { name: string; createdAt: Date }[];
}): EmailContent {
  const subject = "Your personal access tokens were revoked";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`${props.what}, and every personal access token of your StrongSign account was revoked. Scripts and integrations that use them are refused from now on:`}
        items={props.tokens.map((token) => `${JSON.stringify(token.name)}, created ${formatDateTime(token.createdAt)}`)}
        next="If you still need one, make a new token in My Profile."
        notYou="If you don't recognise one of these tokens, someone else may have had access to your account: tell your administrator."
        action={{ href: url("/profile#tokens"), label: "Make a new token" }}
      />
    ),
  };
}
