// Whether the browser can make a passkey without a dialog right after a password sign-in
// (WebAuthn Level 3 conditional create, Chrome 136+ and Safari 18), for the passkey
// upgrade (README "Passkeys"), as PublicKeyCredential.getClientCapabilities() says. As
// with the signals (browser-signals.ts), only where the browser has it: a method that is
// missing, throws or rejects, or an answer that is not a plain yes, means no.
export async function canCreateConditionally(): Promise<boolean> {
  if (typeof PublicKeyCredential === "undefined") return false;
  const getClientCapabilities: unknown = (PublicKeyCredential as unknown as Record<string, unknown>)
    .getClientCapabilities;
  if (typeof getClientCapabilities !== "function") return false;
  try {
    const capabilities: unknown = await getClientCapabilities.call(PublicKeyCredential);
    return (
      typeof capabilities === "object" &&
      capabilities !== null &&
      (capabilities as Record<string, unknown>).conditionalCreate === true
    );
  } catch {
    return false;
  }
}
