// Words of getting in: the sign-in page, its second step, and the emailed links.
export const signInText = {
  factorFormInvalid: "Choose how to verify and enter a code.",
  serverNotReached: "StrongSign could not be reached. Check your connection and try again.",
  noMoreCodes: "No more codes can be sent for this sign-in. Start again.",
  browserLinkEmailMissing: "Enter your email address above first.",
  resetEmailInvalid: "Enter an email address like name@example.com.",
  trustLinkInvalid: "This link is not valid.",
  trustLinkUsed: "This link has expired or was already used. Ask for a new one on the sign-in page.",
  resetLinkInvalid: "This link is no longer valid. Ask for a new one from the sign-in page.",
  invitationLinkInvalid: "This invitation link is no longer valid. Ask an administrator to invite you again.",
};

export function codeResentText(channel: "sms" | "email") {
  return `A new code is on its way by ${channel === "sms" ? "SMS" : "email"}.`;
}

// The same answer for every address: it never says whether the address has an account.
export function browserLinkSentText(email: string) {
  return `If ${email} has a StrongSign account, we've emailed it a link. Open it in this browser, then sign in.`;
}

// `tryAgain` says when: app/messages.ts tryAgainText.
export function browserLinksLimitText(tryAgain: string) {
  return `We've already emailed links for this address in the last hour: use the newest one. ${tryAgain}`;
}

export function resetLinkSentText(email: string) {
  return `If ${email} has a StrongSign account, we've emailed it a link to choose a new password. The link works once, for one hour.`;
}
