import { Action, Layout, List, Paragraph } from "./layout";
import { url } from "./shared";

// Every security notice (something changed in how the reader signs in, or someone signed
// in) has this one shape, so that each tells the same things in the same order: what
// happened, with when and from where when known (`what`); the details it concerns
// (`items`); what follows if it was the reader (`next`); what to do if it wasn't
// (`notYou`); and a link to where it can be checked or undone.
export function SecurityNotice(props: {
  title: string;
  name: string;
  what: string;
  items?: string[];
  next?: string;
  notYou: string;
  action: { href: string; label: string };
}) {
  return (
    <Layout title={props.title} greeting={props.name}>
      <Paragraph>{props.what}</Paragraph>
      {props.items && <List items={props.items} />}
      {props.next && <Paragraph>{props.next}</Paragraph>}
      <Paragraph>{props.notYou}</Paragraph>
      <Action href={props.action.href}>{props.action.label}</Action>
    </Layout>
  );
}

export const NOT_YOU = "If this wasn't you, change your password at once and tell your administrator";

// My Profile, where a change to how the reader signs in can be undone.
export const myProfile = () => ({ href: url("/profile"), label: "Open My Profile" });

// How a method came: the user's first (2FA turned on), one more next to others, or one
// replacing the same kind (a new phone for the app, a new number for texts).
export type MethodChange = "first" | "added" | "replaced";
