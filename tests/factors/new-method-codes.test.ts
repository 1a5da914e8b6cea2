// Property: a first method brings recovery codes, a method added with none left brings fresh ones, and otherwise the user keeps theirs.
import { describe, expect, it } from "vitest";
import { consumeRecoveryCode } from "@/lib/factors/recovery-codes";
import { confirmDeliveredSetup, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { confirmTotpSetup, createTotpSetup } from "@/lib/factors/totp";
import { addPasskey } from "@/lib/passkeys/add";
import { startPasskeyRegistration } from "@/lib/passkeys/registration";
import { relyingParty } from "@/lib/passkeys/relying-party";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, lastCode, request } from "../factories";
import { createSoftAuthenticator } from "../soft-authenticator";

// Property: every way of adding a method follows one rule on recovery codes (a first
// method comes with a set, a method added when none are left brings a fresh one, and
// otherwise the user keeps theirs).

const rp = relyingParty();

async function usedUpRecoveryCodes(userId: string, codes: string[]) {
  for (const code of codes) await consumeRecoveryCode(db, { userId, code });
  expect(await db.recoveryCode.count({ where: { userId, usedAt: null } })).toBe(0);
}

async function addPasskeyFor(userId: string) {
  const { session } = await createSession(db, { userId, request });
  const authenticator = createSoftAuthenticator({ origin: rp.origin, rpId: rp.id });
  const { response } = authenticator.register(await startPasskeyRegistration({ userId, sessionId: session.id }));
  return addPasskey({ userId, sessionId: session.id, name: "Key", response, request });
}

async function addEmailCodesFor(userId: string, email: string) {
  expect(await startDeliveredSetup({ userId, method: "email" })).toMatchObject({ ok: true });
  return confirmDeliveredSetup({ userId, code: await lastCode(email), request });
}

async function freshSetIsTheOneStored(userId: string, recoveryCodes: string[] | null | false) {
  expect(recoveryCodes).toHaveLength(10);
  expect(await db.recoveryCode.count({ where: { userId, usedAt: null } })).toBe(10);
  expect(await consumeRecoveryCode(db, { userId, code: (recoveryCodes as string[])[0] })).toMatchObject({ ok: true });
}

describe("recovery codes when a method is added", () => {
  it("a passkey added by a user whose codes are all used brings a fresh set, shown once", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    await usedUpRecoveryCodes(user.id, recoveryCodes);
    const added = await addPasskeyFor(user.id);
    expect(added).toMatchObject({ ok: true, passkeyName: "Key" });
    await freshSetIsTheOneStored(user.id, added.ok && added.recoveryCodes);
  });

  it("email codes added by a user whose codes are all used bring a fresh set, as a passkey does", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    await usedUpRecoveryCodes(user.id, recoveryCodes);
    const added = await addEmailCodesFor(user.id, user.email);
    expect(added).toMatchObject({ ok: true, method: "email" });
    await freshSetIsTheOneStored(user.id, added.ok && added.recoveryCodes);
  });

  it("an app added by a user whose codes are all used brings a fresh set", async () => {
    const user = await createUser();
    const first = await addEmailCodesFor(user.id, user.email);
    await usedUpRecoveryCodes(user.id, (first.ok && first.recoveryCodes) || []);
    const now = new Date();
    const { secret } = await createTotpSetup({ userId: user.id, now });
    const added = await confirmTotpSetup({ userId: user.id, code: totp(secret, now.getTime()), request, now });
    expect(added).toMatchObject({ ok: true });
    await freshSetIsTheOneStored(user.id, added.ok && added.recoveryCodes);
  });

  it("each way keeps the codes of a user who has some left", async () => {
    const { user, recoveryCodes } = await createUserWithTotp({ at: new Date() });
    await consumeRecoveryCode(db, { userId: user.id, code: recoveryCodes[0] });
    expect(await addPasskeyFor(user.id)).toMatchObject({ ok: true, recoveryCodes: null });
    expect(await addEmailCodesFor(user.id, user.email)).toMatchObject({ ok: true, recoveryCodes: null });
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(recoveryCodes.length - 1);
  });

  it("a first method of each way comes with a set", async () => {
    const viaPasskey = await createUser();
    const passkey = await addPasskeyFor(viaPasskey.id);
    await freshSetIsTheOneStored(viaPasskey.id, passkey.ok && passkey.recoveryCodes);
    const viaEmail = await createUser();
    const email = await addEmailCodesFor(viaEmail.id, viaEmail.email);
    await freshSetIsTheOneStored(viaEmail.id, email.ok && email.recoveryCodes);
  });
});
