import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, url } from "./shared";

export const NOT_YOU = "If this wasn't you, change your password at once and tell your administrator";

// How a method came: the user's first (2FA turned on), one more next to others, or one
// replacing the same kind (a new phone for the app, a new number for texts).
export type MethodChange = "first" | "added" | "replaced";

// A change to how the user signs in: what happened, what to do if it was not them, and a
// link to My Profile, where it can be undone.
export function profileNotice(props: { name: string; subject: string; what: string; advice?: string }): EmailContent {
  const link = url("/profile");
  const advice = props.advice ?? `${NOT_YOU}.`;
  return {
    subject: props.subject,
    react: (
      <Layout title={props.subject} greeting={props.name}>
        <Paragraph>{props.what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
  };
}
