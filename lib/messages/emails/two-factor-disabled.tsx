import { myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

export function twoFactorDisabled(props: { name: string; ip: string }): EmailContent {
  const subject = "Two-factor authentication was turned off";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`Two-factor authentication was turned off for your account (IP ${props.ip}). Signing in now needs only your password; your recovery codes no longer work, and your other sessions were signed out.`}
        notYou={`${NOT_YOU}.`}
        action={myProfile()}
      />
    ),
  };
}
