// What My Profile tells the browser about passkeys is the signed-in user's own, current
// state: their credential ids only, under the user handle their passkeys were made with.
import { describe, expect, it } from "vitest";
import { removeMethod } from "@/lib/factors/removal";
import { listPasskeys } from "@/lib/passkeys/manage";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { passkeySignalsFor } from "@/lib/passkeys/signals";
import { updateName } from "@/lib/people/profile";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createUser, request } from "../factories";
import { userWithPasskey } from "../sign-in/helpers";

// Attack: a signal naming another user's credentials or handle would let one user's page
// make a shared browser hide or rename someone else's passkeys.

// As My Profile builds them: from the signed-in user's row and the passkeys it lists.
async function signalsOf(userId: string) {
  return passkeySignalsFor(await db.user.findUniqueOrThrow({ where: { id: userId } }), await listPasskeys(userId));
}

describe("passkeySignalsFor", () => {
  it("names the user's own credentials under the handle their registration used, and their name and address", async () => {
    const { user, session, credential } = await userWithPasskey();
    await userWithPasskey();

    const signals = await signalsOf(user.id);

    const registration = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
    expect(signals).toEqual({
      rpId: "localhost",
      userId: registration.user.id,
      allAcceptedCredentialIds: [credential.id],
      name: user.email,
      displayName: user.name,
    });
  });

  it("leaves out a passkey once it is removed, and says an empty list when none is left", async () => {
    const { user, session, authenticator, credential } = await userWithPasskey();
    const second = authenticator.register(await startPasskeyRegistration({ userId: user.id, sessionId: session.id }));
    await db.webAuthnCredential.create({
      data: {
        userId: user.id,
        credentialId: second.credential.id,
        publicKey: second.credential.publicKey,
        name: "Phone",
        deviceType: "multiDevice",
        createdAt: new Date(Date.now() + 60_000),
      },
    });
    expect((await signalsOf(user.id)).allAcceptedCredentialIds).toEqual([credential.id, second.credential.id]);

    const first = await db.webAuthnCredential.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(await removeMethod({ userId: user.id, method: "passkey", passkeyId: first.id, request })).toMatchObject({
      ok: true,
    });
    expect((await signalsOf(user.id)).allAcceptedCredentialIds).toEqual([second.credential.id]);

    await db.webAuthnCredential.deleteMany({ where: { userId: user.id } });
    expect((await signalsOf(user.id)).allAcceptedCredentialIds).toEqual([]);
  });

  it("gives the new name after the user changes it", async () => {
    const { user } = await userWithPasskey();
    await updateName({ userId: user.id, name: "Ada Byron", request });

    expect(await signalsOf(user.id)).toMatchObject({ name: user.email, displayName: "Ada Byron" });
  });

  it("is an empty list for a user without passkeys, beside someone who has some", async () => {
    const user = await createUser();
    await createSession(db, { userId: user.id, request });
    await userWithPasskey();

    expect((await signalsOf(user.id)).allAcceptedCredentialIds).toEqual([]);
  });
});
