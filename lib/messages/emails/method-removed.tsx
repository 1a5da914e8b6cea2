import { myProfile, NOT_YOU, SecurityNotice } from "./notice";
import type { EmailContent } from "./shared";

// One of several methods taken away (the last one is twoFactorDisabled).
export function methodRemoved(props: { name: string; method: string; ip: string }): EmailContent {
  const subject = "A sign-in method was removed from your StrongSign account";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`${props.method} was removed from the ways you sign in to StrongSign (IP ${props.ip}). Your other methods still work.`}
        notYou={`${NOT_YOU}.`}
        action={myProfile()}
      />
    ),
  };
}
