// The WebAuthn Level 3 Signal API (README "Passkeys"), from the page: tells the browser's
// passkey provider which of its passkeys for this site still work and whose they are. Only
// where the browser has it, and never in the page's way: a signal that is missing, throws
// or rejects changes nothing here.

type SignalName = "signalUnknownCredential" | "signalAllAcceptedCredentials" | "signalCurrentUserDetails";

export function sendPasskeySignal(name: SignalName, options: Record<string, unknown>): void {
  if (typeof PublicKeyCredential === "undefined") return;
  const signal: unknown = (PublicKeyCredential as unknown as Record<SignalName, unknown>)[name];
  if (typeof signal !== "function") return;
  try {
    Promise.resolve(signal.call(PublicKeyCredential, options)).catch(() => undefined);
  } catch {
    // A browser that refuses at once is treated as one without the signal.
  }
}
