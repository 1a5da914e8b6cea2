// Property: the passkey upgrade asks for a passkey without a dialog only where getClientCapabilities() plainly says conditionalCreate, and a browser without it, or one that throws, means no.
import { afterEach, describe, expect, it, vi } from "vitest";
import { canCreateConditionally } from "@/lib/passkeys/browser-capabilities";

// The browser is the one thing stood in for here: PublicKeyCredential as each kind of
// browser has it. The failure guarded against is an older or odd browser that breaks the
// page, or is asked for conditional create it cannot do (a user-visible error, W3C
// WebAuthn L3 §5.1.3).

afterEach(() => {
  vi.unstubAllGlobals();
});

function browserWith(publicKeyCredential: unknown) {
  vi.stubGlobal("PublicKeyCredential", publicKeyCredential);
}

describe("canCreateConditionally", () => {
  it("is yes where the browser says conditionalCreate: true (Chrome 136+, Safari 18)", async () => {
    browserWith({ getClientCapabilities: async () => ({ conditionalCreate: true, conditionalGet: true }) });
    expect(await canCreateConditionally()).toBe(true);
  });

  it("is no where the browser says no, says nothing of it, or answers something else", async () => {
    for (const answer of [{ conditionalCreate: false }, {}, { conditionalCreate: "true" }, null, "yes"]) {
      browserWith({ getClientCapabilities: async () => answer });
      expect(await canCreateConditionally()).toBe(false);
    }
  });

  it("is no, quietly, without WebAuthn, without getClientCapabilities, or when it throws or rejects", async () => {
    const browsers = [
      undefined,
      {},
      { getClientCapabilities: "not a function" },
      {
        getClientCapabilities: () => {
          throw new Error("SecurityError");
        },
      },
      { getClientCapabilities: () => Promise.reject(new Error("NotAllowedError")) },
    ];
    for (const publicKeyCredential of browsers) {
      browserWith(publicKeyCredential);
      await expect(canCreateConditionally()).resolves.toBe(false);
    }
  });

  it("calls it on PublicKeyCredential, as a browser's static method requires", async () => {
    const api = {
      getClientCapabilities(this: unknown) {
        return Promise.resolve({ conditionalCreate: this === api });
      },
    };
    browserWith(api);
    expect(await canCreateConditionally()).toBe(true);
  });
});
