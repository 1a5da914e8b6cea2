import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

export function passwordChanged(props: { name: string; ip: string }): EmailContent {
  const subject = "Your StrongSign password was changed";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`The password of your StrongSign account was reset (IP ${props.ip}), and every session was signed out.`}
        notYou="If this wasn't you, tell your administrator at once."
        action={{ href: url("/login"), label: "Sign in" }}
      />
    ),
  };
}
