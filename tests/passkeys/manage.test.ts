// A user lists and renames only their own passkeys, and a bad name is refused.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "@/lib/errors";
import { listPasskeys, renamePasskey } from "@/lib/passkeys/manage";
import { finishPasskeyRegistration, startPasskeyRegistration } from "@/lib/passkeys/registration";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createUser, request } from "../factories";
import { createSoftAuthenticator } from "../soft-authenticator";

const rp = relyingParty();
const at = new Date("2030-03-04T10:00:00Z");

async function signedInUser() {
  const user = await createUser();
  const { session } = await createSession(db, { userId: user.id, request, now: at });
  return { user, session, authenticator: createSoftAuthenticator({ origin: rp.origin, rpId: rp.id }) };
}

describe("listPasskeys and renamePasskey", () => {
  async function withPasskeys(names: string[]) {
    const { user, session, authenticator } = await signedInUser();
    for (const [index, name] of names.entries()) {
      const now = new Date(at.getTime() + index * 60_000);
      const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now });
      const { response } = authenticator.register(options);
      await finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name, response, now });
    }
    return user;
  }

  it("lists a user's own passkeys, oldest first, with what My Profile shows", async () => {
    const user = await withPasskeys(["Laptop", "Phone"]);
    await withPasskeys(["Someone else's"]);

    const passkeys = await listPasskeys(user.id);

    expect(passkeys.map((passkey) => passkey.name)).toEqual(["Laptop", "Phone"]);
    const laptop = await db.webAuthnCredential.findFirstOrThrow({ where: { userId: user.id, name: "Laptop" } });
    expect(passkeys[0]).toEqual({
      id: laptop.id,
      credentialId: laptop.credentialId,
      name: "Laptop",
      provider: "Security key",
      createdAt: at,
      lastUsedAt: null,
      transports: ["internal"],
      deviceType: "singleDevice",
      backedUp: false,
      signCount: 0,
    });
  });

  it("names each passkey's provider from its AAGUID, and one kept without an AAGUID as unknown", async () => {
    const { user, session, authenticator } = await signedInUser();
    const options = await startPasskeyRegistration({ userId: user.id, sessionId: session.id, now: at });
    const { response } = authenticator.register(options, { aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd" });
    await finishPasskeyRegistration({ userId: user.id, sessionId: session.id, name: "Mac", response, now: at });
    await db.webAuthnCredential.create({
      data: {
        userId: user.id,
        credentialId: "b2xkZXI",
        publicKey: "AA",
        name: "Older key",
        deviceType: "singleDevice",
        createdAt: new Date(at.getTime() + 60_000),
      },
    });

    const passkeys = await listPasskeys(user.id);

    expect(passkeys.map(({ name, provider }) => ({ name, provider }))).toEqual([
      { name: "Mac", provider: "Apple Passwords" },
      { name: "Older key", provider: "Unknown provider" },
    ]);
  });

  it("renames one's own passkey, and refuses a bad name or someone else's passkey", async () => {
    const user = await withPasskeys(["Laptop"]);
    const other = await withPasskeys(["Theirs"]);
    const [mine] = await listPasskeys(user.id);
    const [theirs] = await listPasskeys(other.id);

    expect(await renamePasskey({ userId: user.id, passkeyId: mine.id, name: " Desk key " })).toEqual({ ok: true });
    expect(await renamePasskey({ userId: user.id, passkeyId: mine.id, name: " " })).toEqual({
      ok: false,
      error: ErrorCode.invalidName,
    });
    expect(await renamePasskey({ userId: user.id, passkeyId: theirs.id, name: "Mine now" })).toEqual({
      ok: false,
      error: ErrorCode.notFound,
    });

    expect((await listPasskeys(user.id))[0].name).toBe("Desk key");
    expect((await listPasskeys(other.id))[0].name).toBe("Theirs");
  });
});
