import { profileNotice } from "./notice";
import type { EmailContent } from "./shared";

export function twoFactorDisabled(props: { name: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "Two-factor authentication was turned off",
    what: `Two-factor authentication was turned off for your account (IP ${props.ip}). Signing in now needs only your password; your recovery codes no longer work, and your other sessions were signed out.`,
  });
}
