import { BROWSER_TRUST_LINK_TTL_MS } from "@/lib/config";
import { Action, Layout, Paragraph } from "./layout";
import { type EmailContent, formatDuration, url } from "./shared";

export function browserTrustLink(props: { name: string; token: string }): EmailContent {
  const link = url(`/login/trust/${props.token}`);
  const paused =
    "Sign-in to your StrongSign account from unrecognised browsers is paused: someone has tried many wrong passwords for it. If you are trying to sign in, open this link in the browser you are using:";
  const lifetime = `It works once, for ${formatDuration(BROWSER_TRUST_LINK_TTL_MS)}, and only lets that browser try your password: you still need your password and your second factor.`;
  const notYou =
    "If it wasn't you, you need not do anything: your own browsers can still sign in. Consider a longer password.";
  return {
    subject: "Let a new browser sign in to StrongSign",
    react: (
      <Layout title="Let a new browser sign in to StrongSign" greeting={props.name}>
        <Paragraph>{paused}</Paragraph>
        <Action href={link}>Let this browser sign in</Action>
        <Paragraph>{lifetime}</Paragraph>
        <Paragraph>{notYou}</Paragraph>
      </Layout>
    ),
  };
}
