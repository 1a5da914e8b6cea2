"use server";

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { cookies } from "next/headers";
import { retryText, signInErrorText } from "@/app/messages";
import { passwordlessErrorText } from "@/app/messages/passkeys";
import { signIn } from "@/auth";
import { getRequestInfo } from "@/dal";
import { PASSKEY_SIGN_IN_COOKIE } from "@/lib/config";
import { startPasskeyPasswordless } from "@/lib/passkeys/assertion";
import { authenticationResponseSchema, PASSKEY_CHALLENGE_TTL_MS } from "@/lib/passkeys/relying-party";
import { parseArgument, requireNoArguments } from "@/lib/platform/action-arguments";
import { setPrivateCookie } from "@/lib/platform/private-cookie";
import { passkeySignIn } from "@/lib/sign-in/passwordless";

type PasswordlessRequest = { ok: true; options: PublicKeyCredentialRequestOptionsJSON };

// "Sign in with a passkey", part 1: a challenge for any of this site's passkeys
// (discoverable credentials), bound to this browser by an HttpOnly cookie. The login page
// asks for one on every visit (for the browser's autofill); each new one deletes the
// expired ones, so the table holds at most five minutes of visits.
export async function passwordlessOptionsAction(...unexpected: unknown[]): Promise<PasswordlessRequest> {
  requireNoArguments(unexpected);
  const { options, browserToken } = await startPasskeyPasswordless();
  await setPrivateCookie(PASSKEY_SIGN_IN_COOKIE, browserToken, { path: "/login", maxAgeMs: PASSKEY_CHALLENGE_TTL_MS });
  return { ok: true, options };
}

const errorText = { ...passwordlessErrorText, account_disabled: signInErrorText.account_disabled };

// Part 2: the browser's answer. A passkey that verified the person signs in; the session
// comes from the same completeSignIn as every other sign-in. A credential the server does
// not know is named back, so the page can tell the browser to forget it (README "Passkeys").
export async function passwordlessSignInAction(
  answer: unknown,
): Promise<{ error: string; unknownCredentialId?: string }> {
  const response = parseArgument(authenticationResponseSchema, answer);
  const store = await cookies();
  const browserToken = store.get(PASSKEY_SIGN_IN_COOKIE)?.value ?? "";
  store.delete({ name: PASSKEY_SIGN_IN_COOKIE, path: "/login" });
  const result = await passkeySignIn({ browserToken, response, request: await getRequestInfo() });
  if (!result.ok)
    return {
      error: result.error === "rate_limited" ? retryText(result.retryAfterSeconds) : errorText[result.error],
      ...(result.error === "passkey_unknown" ? { unknownCredentialId: response.id } : {}),
    };
  await signIn("credentials", { challenge: result.challengeToken, redirectTo: "/profile" });
  return { error: "" };
}
