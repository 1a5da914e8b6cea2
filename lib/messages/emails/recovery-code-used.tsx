import { RECOVERY_CODES_LOW } from "@/lib/config";
import { myProfile, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

export function recoveryCodeUsed(props: { name: string; ip: string; remaining: number }): EmailContent {
  const { remaining } = props;
  const used = `A recovery code was just used to sign in to your account (IP ${props.ip}). You have ${remaining} recovery code${remaining === 1 ? "" : "s"} left.`;
  const low =
    remaining <= RECOVERY_CODES_LOW
      ? " That is very few: generate new codes in My Profile now, so that you don't get locked out."
      : "";
  const subject = "A recovery code was used to sign in to StrongSign";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`${used}${low}`}
        notYou="If you lost your phone, set up your authenticator app again in My Profile. If this wasn't you, change your password at once and tell your administrator."
        action={myProfile()}
      />
    ),
  };
}
