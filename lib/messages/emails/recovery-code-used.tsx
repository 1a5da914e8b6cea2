import { RECOVERY_CODES_LOW } from "@/lib/config";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

export function recoveryCodeUsed(props: { name: string; ip: string; remaining: number }): EmailContent {
  const { remaining } = props;
  const used = `A recovery code was just used to sign in to your account (IP ${props.ip}). You have ${remaining} recovery code${remaining === 1 ? "" : "s"} left.`;
  const low =
    remaining <= RECOVERY_CODES_LOW
      ? " That is very few: generate new codes in My Profile now, so that you don't get locked out."
      : "";
  const advice =
    "If you lost your phone, set up your authenticator app again in My Profile. If this wasn't you, change your password at once and tell your administrator.";
  const link = url("/profile");
  return {
    subject: "A recovery code was used to sign in to StrongSign",
    react: (
      <Layout title="A recovery code was used to sign in to StrongSign" greeting={props.name}>
        <Paragraph>
          {used}
          {low}
        </Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
  };
}
