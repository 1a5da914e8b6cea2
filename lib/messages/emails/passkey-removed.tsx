import { myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

// The name is quoted as JSON, as in passkeyAdded.
export function passkeyRemoved(props: { name: string; passkeyName: string; ip: string }): EmailContent {
  const subject = "A passkey was removed from your StrongSign account";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`The passkey named ${JSON.stringify(props.passkeyName)} was removed from your StrongSign account (IP ${props.ip}). It can no longer sign in to your account.`}
        notYou={`${NOT_YOU}.`}
        action={myProfile()}
      />
    ),
  };
}
