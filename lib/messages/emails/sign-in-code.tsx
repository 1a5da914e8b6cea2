import { LOGIN_CHALLENGE_TTL_MS } from "@/lib/config";
import { Code, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration } from "./shared";

// Sign-in codes travel by SMS too, with the very words of the email's text part, written out
// here as one short line rather than made from the markup.
export function signInCode(props: { code: string }): EmailContent & { text: string } {
  const expires = `It expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}.`;
  const text = `Your StrongSign sign-in code is ${props.code}. ${expires} If you did not try to sign in, change your password.`;
  return {
    subject: "Your StrongSign sign-in code",
    react: (
      <Layout title="Your StrongSign sign-in code">
        <Paragraph>Your StrongSign sign-in code is:</Paragraph>
        <Code>{props.code}</Code>
        <Paragraph>{expires} If you did not try to sign in, change your password.</Paragraph>
      </Layout>
    ),
    text,
  };
}
