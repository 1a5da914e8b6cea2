import { myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

// Names are quoted as JSON, like token names, so that one holding quotes reads plainly.
export function passkeyAdded(props: { name: string; passkeyName: string; ip: string }): EmailContent {
  const subject = "A passkey was added to your StrongSign account";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`A passkey named ${JSON.stringify(props.passkeyName)} was added to your StrongSign account (IP ${props.ip}). It can now sign in to your account, with or without your password.`}
        notYou={`${NOT_YOU}, and remove the passkey in My Profile:`}
        action={myProfile()}
      />
    ),
  };
}
