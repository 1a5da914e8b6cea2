import { DELIVERED_CODE_SETUP_TTL_MS } from "@/lib/config";
import { Code, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration } from "./shared";

// Set-up codes travel by SMS too, with the very words of the email's text part, written out
// here as one short line rather than made from the markup.
export function verificationCode(props: { code: string }): EmailContent & { text: string } {
  const expires = `It expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}.`;
  const text = `Your StrongSign verification code is ${props.code}. ${expires} If you did not ask for it, change your password.`;
  return {
    subject: "Your StrongSign verification code",
    react: (
      <Layout title="Your StrongSign verification code">
        <Paragraph>Your StrongSign verification code is:</Paragraph>
        <Code>{props.code}</Code>
        <Paragraph>{expires} If you did not ask for it, change your password.</Paragraph>
      </Layout>
    ),
    text,
  };
}
