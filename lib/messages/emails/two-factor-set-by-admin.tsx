import { maskPhone } from "@/lib/messages/phone";
import { myProfile, SecurityNotice } from "./notice";
import { type EmailContent, url } from "./shared";

// An administrator chose how this user's sign-in codes come (null: took that choice away).
export function twoFactorSetByAdmin(props: {
  name: string;
  accountName: string;
  method: "sms" | "email" | null;
  phone: string | null;
}): EmailContent {
  const subject = props.method
    ? "An administrator set up your two-factor authentication"
    : "Your two-factor method was removed";
  const how =
    props.method === "sms"
      ? `texted to ${props.phone ? maskPhone(props.phone) : "your phone"}`
      : "emailed to this address";
  const what = props.method
    ? `An administrator of ${props.accountName} set up two-factor authentication for your account: after your password, signing in now asks for a code ${how}.`
    : `An administrator of ${props.accountName} removed the two-factor method they had set for your account: signing in no longer asks for a code.`;
  const next = props.method
    ? "Get your recovery codes in My Profile and keep them somewhere safe: each one signs you in once if the codes can't reach you."
    : "You can set up two-factor authentication yourself in My Profile.";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={what}
        next={next}
        notYou="If you did not expect this, tell your administrator."
        action={
          props.method ? { href: url("/profile/two-factor/recovery-codes"), label: "Get recovery codes" } : myProfile()
        }
      />
    ),
  };
}
