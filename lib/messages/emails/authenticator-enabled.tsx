import { type MethodChange, myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

export function authenticatorEnabled(props: { name: string; change: MethodChange }): EmailContent {
  const subject = {
    first: "Two-factor authentication is on",
    added: "An authenticator app was added to your StrongSign account",
    replaced: "A new authenticator app was set up for StrongSign",
  }[props.change];
  const what = {
    first:
      "Two-factor authentication was turned on for your account. Signing in now asks for a code from your authenticator app.",
    added: "An authenticator app was added to your account as a way to sign in. Your other methods still work.",
    replaced:
      "A new authenticator app was set up for your account. The previous app and your old recovery codes no longer work.",
  }[props.change];
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`${what} Your other sessions were signed out.`}
        notYou={`${NOT_YOU}:`}
        action={myProfile()}
      />
    ),
  };
}
