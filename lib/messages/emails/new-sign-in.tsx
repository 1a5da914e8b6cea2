import { formatDateTime } from "@/lib/format/user-agent";
import { SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

// A completed sign-in from a browser (or API client) the account has not used before.
export function newSignIn(props: { name: string; at: Date; ip: string; device: string; api: boolean }): EmailContent {
  const subject = props.api ? "New API sign-in to your StrongSign account" : "New sign-in to your StrongSign account";
  const what = props.api
    ? `Your StrongSign account was signed in to through the API from an address it has not used before: ${props.device}, IP ${props.ip}, on ${formatDateTime(props.at)}.`
    : `Your StrongSign account was signed in to from a browser it has not used before: ${props.device}, IP ${props.ip}, on ${formatDateTime(props.at)}.`;
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={what}
        next="If this was you, there is nothing to do."
        notYou="If it wasn't you, someone knows your password (and got past your second factor, if you have one): change your password at once, which signs out every other session, check your sessions and tokens in My Profile, and tell your administrator."
        action={{ href: url("/profile#sessions"), label: "Review your sessions" }}
      />
    ),
  };
}
