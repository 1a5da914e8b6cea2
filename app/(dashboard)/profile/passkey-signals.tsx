"use client";

import { useEffect } from "react";
import { sendPasskeySignal } from "@/lib/passkeys/browser-signals";

// On every render of My Profile with new facts (a passkey removed, the name or email
// changed), the browser hears which of its passkeys still work for this user and what to
// call the user (README "Passkeys"). Nothing is shown.
export function PasskeySignals({
  rpId,
  userId,
  allAcceptedCredentialIds,
  name,
  displayName,
}: {
  rpId: string;
  userId: string;
  allAcceptedCredentialIds: string[];
  name: string;
  displayName: string;
}) {
  // Joined, so that the same ids in a new array are not a change.
  const accepted = allAcceptedCredentialIds.join(" ");
  useEffect(() => {
    sendPasskeySignal("signalAllAcceptedCredentials", {
      rpId,
      userId,
      allAcceptedCredentialIds: accepted ? accepted.split(" ") : [],
    });
  }, [rpId, userId, accepted]);
  useEffect(() => {
    sendPasskeySignal("signalCurrentUserDetails", { rpId, userId, name, displayName });
  }, [rpId, userId, name, displayName]);
  return null;
}
