// Words of My Profile: name, password, email address and personal access tokens.
export const profileText = {
  nameSaved: "Your name has been saved.",
  currentPasswordMissing: "Enter your current password.",
  passwordRefused: "Choose another password.",
  emailLinkInvalid: "This link is no longer valid. Ask for a new one in My Profile.",
  tokenFormInvalid: "Choose a name, an expiry and at least one scope.",
  tokenName: "Give the token a name of up to 100 characters, such as what it is for.",
  tokenScopesMissing: "Choose at least one scope.",
  tokenAdminScope: "Only administrators can create tokens with the admin scope.",
  tokenExpiry: "Choose an expiry from the list.",
};

export function passwordChangedText(sessionsEnded: number) {
  const ended = sessionsEnded;
  return `Your password has been changed.${ended ? ` ${ended} other session${ended === 1 ? " was" : "s were"} signed out.` : ""}`;
}

// `within` is how long the link works, already in words.
export function emailLinkSentText(email: string, within: string) {
  return `We sent a link to ${email}. Open it within ${within} to confirm; until then your address stays as it is.`;
}

export function emailConfirmedText(email: string) {
  return `Your email address is now ${email}. Sign in with it from now on.`;
}
