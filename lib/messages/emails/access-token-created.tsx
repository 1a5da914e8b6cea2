import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

export function accessTokenCreated(props: {
  name: string;
  tokenName: string;
  scopes: string[];
  ip: string;
}): EmailContent {
  const subject = "A new personal access token was created";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`A personal access token named "${props.tokenName}" with the scopes ${props.scopes.join(", ")} was created for your StrongSign account (IP ${props.ip}).`}
        notYou="If this wasn't you, revoke it in My Profile and change your password:"
        action={{ href: url("/profile#tokens"), label: "Review your tokens" }}
      />
    ),
  };
}
