import { profileNotice } from "./notice";
import type { EmailContent } from "./shared";

// The name is quoted as JSON, as in passkeyAdded.
export function passkeyRemoved(props: { name: string; passkeyName: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "A passkey was removed from your StrongSign account",
    what: `The passkey named ${JSON.stringify(props.passkeyName)} was removed from your StrongSign account (IP ${props.ip}). It can no longer sign in to your account.`,
  });
}
