// Property: a passkey added in My Profile joins the user's methods like any other: recovery codes, the default method, the other sessions end.
import { describe, expect, it } from "vitest";
import { addPasskey } from "@/lib/passkeys/add";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { createUser, createUserWithTotp, request } from "../factories";
import { rp } from "../sign-in/helpers";
import { createSoftAuthenticator } from "../soft-authenticator";

describe("adding a passkey", () => {
  it("is a first method like any other: recovery codes, the default method, other sessions end", async () => {
    const user = await createUser();
    const other = await createSession(db, { userId: user.id, request });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const registration = await startPasskeyRegistration({ userId: user.id, sessionId: session.id });
    const { response } = authenticator.register(registration);
    const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Laptop", response, request });

    expect(added).toMatchObject({ ok: true, passkeyName: "Laptop" });
    expect(added.ok && added.recoveryCodes).toHaveLength(10);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ twoFactorMethod: "passkey" });
    expect(await db.session.findUnique({ where: { id: other.session.id } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: session.id } })).not.toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "passkey.added" } })).toBe(1);
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: { contains: "passkey was added" } } }),
    ).toBe(1);
  });

  it("next to an app keeps the app and the recovery codes, and becomes the default", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    const added = await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request });
    expect(added).toMatchObject({ ok: true, recoveryCodes: null });
    expect(await db.totpCredential.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(recoveryCodes.length);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("passkey");
  });

  it("is refused when the account does not allow passkeys, and nothing is saved", async () => {
    const user = await createUser();
    await db.account.update({ where: { id: user.accountId }, data: { allowedMethods: ["totp"] } });
    const { session } = await createSession(db, { userId: user.id, request });
    const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
    const { response } = authenticator.register(
      await startPasskeyRegistration({ userId: user.id, sessionId: session.id }),
    );
    expect(await addPasskey({ userId: user.id, sessionId: session.id, name: "Key", response, request })).toEqual({
      ok: false,
      error: "method_not_allowed",
    });
    expect(await db.webAuthnCredential.count({ where: { userId: user.id } })).toBe(0);
  });
});
