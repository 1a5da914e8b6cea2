import { formatDateTime } from "@/lib/format/user-agent";
import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

// After a change: to the old address (the owner of the account may not be the one who
// made it) and, when an admin made it, to the new one. `admin`: the account's name when an
// administrator of it made the change, null when the user did.
export function emailChanged(props: {
  name: string;
  oldEmail: string;
  newEmail: string;
  at: Date;
  ip: string;
  admin: string | null;
  to: "old" | "new";
}): EmailContent {
  const subject = "The email address of your StrongSign account was changed";
  const who = props.admin ? `An administrator of ${props.admin} changed` : "You changed";
  const what = `${who} the email address of your StrongSign account from ${props.oldEmail} to ${props.newEmail} on ${formatDateTime(props.at)} (IP ${props.ip}).`;
  const next =
    props.to === "old"
      ? `From now on you sign in with ${props.newEmail}, and our emails go there, not here.`
      : "From now on you sign in with this address, and our emails come here.";
  const help = props.admin
    ? `If this is a mistake, ask an administrator of ${props.admin} to change it back.`
    : "If this wasn't you, someone who knows your password has taken over your account's email: tell your administrator at once, so they can change it back and reset your password. Password-reset links sent here no longer work.";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={what}
        next={next}
        notYou={help}
        action={{ href: url("/login"), label: "Sign in" }}
      />
    ),
  };
}
