import { expect, type Page, test } from "@playwright/test";
import { startPasskeyPasswordless, startPasskeySecondFactor, verifyPasskeyAssertion } from "../lib/passkeys/assertion";
import { finishPasskeyRegistration, startPasskeyRegistration } from "../lib/passkeys/registration";
import { db } from "../lib/platform/db";
import { createSession } from "../lib/sessions/sessions";
import { createLoginChallenge } from "../lib/sign-in/login-challenge";
import { seedUser } from "./helpers";
import { addVirtualAuthenticator } from "./webauthn";

// The virtual authenticator the passkey journeys rely on: on the app's own origin it makes
// a discoverable credential, signs with it, and refuses when the user is not verified.
// Then what Chromium itself produces goes through lib/passkeys/registration.ts and
// assertion.ts, which the unit tests check only against a software authenticator. The
// page is the app's robots.txt: on the login page the browser's passkey autofill request
// would be pending already.

test("the virtual authenticator holds a resident passkey made on the app's origin", async ({ page }) => {
  await page.goto("/robots.txt");
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

// The options as the server sends them, through the browser's own JSON codecs (what
// @simplewebauthn/browser does), and the answer as the page would post it.
function create(page: Page, options: unknown) {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json as PublicKeyCredentialCreationOptionsJSON);
    return ((await navigator.credentials.create({ publicKey })) as PublicKeyCredential).toJSON();
  }, options);
}

function get(page: Page, options: unknown) {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json as PublicKeyCredentialRequestOptionsJSON);
    return ((await navigator.credentials.get({ publicKey })) as PublicKeyCredential).toJSON();
  }, options);
}

test("a passkey made by Chromium registers, then passes the second step and signs in without a password", async ({
  page,
}) => {
  const user = await seedUser();
  const { session } = await createSession(db, { userId: user.id, request: { ip: "127.0.0.1", userAgent: "e2e" } });
  await page.goto("/robots.txt");
  const authenticator = await addVirtualAuthenticator(page, { transport: "usb" });

  const registration = await create(page, await startPasskeyRegistration({ userId: user.id, sessionId: session.id }));
  const registered = await finishPasskeyRegistration({
    userId: user.id,
    sessionId: session.id,
    name: "Chromium key",
    response: registration,
  });
  expect(registered).toMatchObject({ ok: true, passkey: { name: "Chromium key" } });
  const [held] = await authenticator.credentials();
  const saved = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id } });
  expect(saved).toMatchObject({ credentialId: held.credentialId, transports: ["usb"], signCount: held.signCount });
  expect(held.userHandle).toBe(Buffer.from(user.id).toString("base64url"));

  const request = { ip: "127.0.0.1", userAgent: "e2e" };
  const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "passkey", request });
  const secondStep = await get(
    page,
    await startPasskeySecondFactor({ userId: user.id, loginChallengeId: challenge.id }),
  );
  expect(
    await verifyPasskeyAssertion({
      purpose: "second_factor",
      userId: user.id,
      loginChallengeId: challenge.id,
      response: secondStep,
    }),
  ).toEqual({ ok: true, userId: user.id, passkeyId: saved.id, passkeyName: "Chromium key", userVerified: true });

  const passwordless = await startPasskeyPasswordless();
  const answer = await get(page, passwordless.options);
  expect(
    await verifyPasskeyAssertion({
      purpose: "passwordless",
      browserToken: passwordless.browserToken,
      response: answer,
    }),
  ).toEqual({ ok: true, userId: user.id, passkeyId: saved.id, passkeyName: "Chromium key", userVerified: true });
  expect(await db.webAuthnCredential.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({
    signCount: (await authenticator.credentials())[0].signCount,
  });
});
