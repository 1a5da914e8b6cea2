import { expect, test } from "@playwright/test";
import { addVirtualAuthenticator } from "./webauthn";

// The virtual authenticator the passkey journeys rely on: on the app's own origin it makes
// a discoverable credential, signs with it, and reports user verification as told.

test("the virtual authenticator holds a resident passkey made on the app's origin", async ({ page }) => {
  await page.goto("/login");
  const authenticator = await addVirtualAuthenticator(page);

  const created = await page.evaluate(async () => {
    const credential = (await navigator.credentials.create({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        rp: { id: location.hostname, name: "StrongSign" },
        user: { id: new TextEncoder().encode("user-1"), name: "ada@acme.test", displayName: "Ada" },
        pubKeyCredParams: [{ type: "public-key", alg: -7 }],
        authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
      },
    })) as PublicKeyCredential;
    return { id: credential.id, transports: (credential.response as AuthenticatorAttestationResponse).getTransports() };
  });

  expect(created.transports).toEqual(["internal"]);
  const [held] = await authenticator.credentials();
  expect(await authenticator.credentials()).toEqual([
    {
      credentialId: created.id,
      isResidentCredential: true,
      userHandle: Buffer.from("user-1").toString("base64url"),
      signCount: held.signCount,
    },
  ]);

  // A passwordless-style request (no allowCredentials) finds it, verifying the user.
  const signIn = () =>
    page.evaluate(async () => {
      const credential = (await navigator.credentials.get({
        publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), userVerification: "preferred" },
      })) as PublicKeyCredential;
      const flags = new Uint8Array((credential.response as AuthenticatorAssertionResponse).authenticatorData)[32];
      return { id: credential.id, userVerified: (flags & 0x04) !== 0 };
    });
  expect(await signIn()).toEqual({ id: created.id, userVerified: true });
  expect((await authenticator.credentials())[0].signCount).toBe(held.signCount + 1);

  // A failed fingerprint or PIN: the browser refuses the ceremony and nothing is signed.
  await authenticator.setUserVerified(false);
  await expect(signIn()).rejects.toThrow(/NotAllowedError/);
  expect((await authenticator.credentials())[0].signCount).toBe(held.signCount + 1);

  await authenticator.remove();
});
