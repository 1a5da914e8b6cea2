import { SECOND_FACTOR_LOCKOUT_MS } from "@/lib/config";
import { myProfile, SecurityNotice } from "./notice";
import { type EmailContent, formatDuration } from "./shared";

export function secondFactorLocked(props: { name: string; threshold: number; ip: string }): EmailContent {
  const subject = "Sign-in to your StrongSign account was locked";
  return {
    subject,
    react: (
      <SecurityNotice
        title={subject}
        name={props.name}
        what={`Your sign-in was locked for ${formatDuration(SECOND_FACTOR_LOCKOUT_MS)} after ${props.threshold} failed attempts at the second step (a code from your authenticator app, a sign-in code or a recovery code). The last attempt came from IP ${props.ip}.`}
        notYou="If this was you, wait and try again. If it wasn't, someone knows your password: change it at once and tell your administrator."
        action={myProfile()}
      />
    ),
  };
}
