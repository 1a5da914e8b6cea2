// A passkey's provider is named from its AAGUID by the community list; what the list does
// not know is said plainly rather than guessed.
import { describe, expect, it } from "vitest";
import { normalizeAaguid, providerName } from "@/lib/passkeys/providers";

describe("providerName", () => {
  it("names the providers people hold passkeys with", () => {
    expect(providerName("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")).toBe("Apple Passwords");
    expect(providerName("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")).toBe("Google Password Manager");
    expect(providerName("08987058-cadc-4b81-b6e1-30de50dcbe96")).toBe("Windows Hello");
    expect(providerName("EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4")).toBe("Google Password Manager");
  });

  it("calls an all-zero AAGUID a security key", () => {
    expect(providerName("00000000-0000-0000-0000-000000000000")).toBe("Security key");
  });

  it("says the provider is unknown for an AAGUID not on the list, none, or not an AAGUID", () => {
    expect(providerName("01020304-0506-0708-0102-030405060708")).toBe("Unknown provider");
    expect(providerName(null)).toBe("Unknown provider");
    // Names of the lookup object itself are not providers.
    expect(providerName("constructor")).toBe("Unknown provider");
    expect(providerName("fbfc3007154e4ecc8c0b6e020557d7bd")).toBe("Unknown provider");
  });
});

describe("normalizeAaguid", () => {
  it("keeps an AAGUID lower-case and hyphenated, and nothing else", () => {
    expect(normalizeAaguid("FBFC3007-154E-4ECC-8C0B-6E020557D7BD")).toBe("fbfc3007-154e-4ecc-8c0b-6e020557d7bd");
    expect(normalizeAaguid("")).toBeNull();
    expect(normalizeAaguid(undefined)).toBeNull();
    expect(normalizeAaguid("fbfc3007-154e-4ecc-8c0b-6e020557d7bd\n")).toBeNull();
  });
});
