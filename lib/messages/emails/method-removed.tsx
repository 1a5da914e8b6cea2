import { profileNotice } from "./notice";
import type { EmailContent } from "./shared";

// One of several methods taken away (the last one is twoFactorDisabled).
export function methodRemoved(props: { name: string; method: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "A sign-in method was removed from your StrongSign account",
    what: `${props.method} was removed from the ways you sign in to StrongSign (IP ${props.ip}). Your other methods still work.`,
  });
}
