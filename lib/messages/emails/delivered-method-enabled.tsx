import { maskPhone } from "@/lib/messages/phone";
import { type MethodChange, myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

export function deliveredMethodEnabled(props: {
  name: string;
  method: "sms" | "email";
  destination: string;
  change: MethodChange;
}): EmailContent {
  const how = props.method === "sms" ? `by text message to ${maskPhone(props.destination)}` : "by email";
  const what = {
    first: `Two-factor authentication was turned on for your account. Your sign-in codes now come ${how}.`,
    added: `Sign-in codes ${how} were added to your account as a way to sign in. Your other methods still work.`,
    replaced: `Your sign-in codes now come ${how}.`,
  }[props.change];
  const subject = {
    first: "Two-factor authentication is on",
    added: "A sign-in method was added to your StrongSign account",
    replaced: "Your two-factor method changed",
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
