// Words of managing the account's people: invitations and each user's page.
export const peopleText = {
  nameMissing: "Enter their name.",
  unlocked: "Unlocked. They can sign in with their second factor again.",
  twoFactorReset: "Two-factor authentication was reset and their sessions ended. They have been emailed.",
  sessionsExpired: "Their sessions have been expired. They will have to sign in again.",
  disabled: "The user is disabled and signed out.",
  enabled: "The user can sign in again.",
  exempted: "Exempted from the two-factor requirement.",
  exemptionRemoved: "The exemption was removed.",
  roleMissing: "Choose a role.",
  roleSaved: "Role saved.",
  methodMissing: "Choose a method.",
  preferenceSaved: "Two-factor preference saved.",
  invitationRevoked: "The invitation was revoked: its link no longer works.",
  listForbidden: "Only administrators of this account can list its users.",
};

export function invitationSentText(email: string) {
  return `Invitation sent to ${email}.`;
}

// `until` is the new link's end, already written as a date and time.
export function invitationResentText(until: string) {
  return `A new invitation was sent. The link works until ${until}; older links no longer work.`;
}

export function emailChangedText(outcome: { invitationRevoked: boolean; notified: boolean }) {
  return outcome.invitationRevoked
    ? "Email address changed. The invitation sent to the old address no longer works: send a new one."
    : `Email address changed.${outcome.notified ? " We told them at both addresses." : ""}`;
}
