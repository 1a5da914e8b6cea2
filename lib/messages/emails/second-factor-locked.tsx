import { SECOND_FACTOR_LOCKOUT_MS } from "@/lib/config";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration, url } from "./shared";

export function secondFactorLocked(props: { name: string; threshold: number; ip: string }): EmailContent {
  const what = `Your sign-in was locked for ${formatDuration(SECOND_FACTOR_LOCKOUT_MS)} after ${props.threshold} failed attempts at the second step (a code from your authenticator app, a sign-in code or a recovery code). The last attempt came from IP ${props.ip}.`;
  const advice =
    "If this was you, wait and try again. If it wasn't, someone knows your password: change it at once and tell your administrator.";
  const link = url("/profile");
  return {
    subject: "Sign-in to your StrongSign account was locked",
    react: (
      <Layout title="Sign-in to your StrongSign account was locked" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
  };
}
