import { db } from "@/lib/platform/db";
import { relyingParty, userHandleOf } from "./relying-party";

// What My Profile tells the browser about the signed-in user's passkeys (README
// "Passkeys"): every credential id that still signs in, so the password manager hides the
// ones removed here, and the names the user's passkeys should show, as registration gave
// them (the email address as the account name, the person's name as the display name).
export async function passkeySignalsFor(userId: string): Promise<{
  rpId: string;
  userId: string;
  allAcceptedCredentialIds: string[];
  name: string;
  displayName: string;
}> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      webAuthnCredentials: { select: { credentialId: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  return {
    rpId: relyingParty().id,
    userId: userHandleOf(user.id).toString("base64url"),
    allAcceptedCredentialIds: user.webAuthnCredentials.map((credential) => credential.credentialId),
    name: user.email,
    displayName: user.name,
  };
}
