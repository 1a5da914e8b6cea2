import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

export function twoFactorReset(props: { name: string; accountName: string }): EmailContent {
  const subject = "Your two-factor authentication was reset";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`An administrator of ${props.accountName} reset two-factor authentication for your account. Your second factor and your recovery codes no longer work, and you have been signed out everywhere.`}
        next="Sign in with your password and set up two-factor authentication again in My Profile."
        notYou="If you did not ask for this, tell your administrator."
        action={{ href: url("/profile"), label: "Set up two-factor authentication" }}
      />
    ),
  };
}
