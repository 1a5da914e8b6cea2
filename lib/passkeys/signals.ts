import { relyingParty, userHandleOf } from "./relying-party";

// What My Profile tells the browser about the signed-in user's passkeys (README
// "Passkeys"): every credential id that still signs in, so the password manager hides the
// ones removed here, and the names the user's passkeys should show, as registration gave
// them (the email address as the account name, the person's name as the display name).
// From what the page has already read: the session's user and listPasskeys()' rows.
export function passkeySignalsFor(
  user: { id: string; email: string; name: string },
  passkeys: Array<{ credentialId: string }>,
): { rpId: string; userId: string; allAcceptedCredentialIds: string[]; name: string; displayName: string } {
  return {
    rpId: relyingParty().id,
    userId: userHandleOf(user.id).toString("base64url"),
    allAcceptedCredentialIds: passkeys.map((passkey) => passkey.credentialId),
    name: user.email,
    displayName: user.name,
  };
}
