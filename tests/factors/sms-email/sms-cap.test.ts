// Property: texts are capped per user and per account each hour, emailed codes per user; past a cap codes go by email or not at all, audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateSmsPerHour } from "@/lib/account/settings";
import { auditData } from "@/lib/audit/record";
import { SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR, SMS_PER_USER_PER_HOUR } from "@/lib/config";
import { resendDeliveredSetupCode, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { readCodeDelivery, sendChallengeCode, sendFirstChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { db } from "@/lib/platform/db";
import { createLoginChallenge, type PendingFactor } from "@/lib/sign-in/login-challenge";
import { readSecondStep, verifySecondFactor } from "@/lib/sign-in/second-step";
import { createUser, lastCode, request } from "../../factories";
import { startFakeSmsProvider } from "../../fake-server";

// SMS pumping: anyone who knows a password (or holds a session) can make us send texts,
// and texts cost money (an attacker may even be paid per text to premium numbers). Eight
// sign-ins used to send eight texts. Texts are now capped per user (across sign-ins and
// setups) and per account per hour; past a cap a sign-in code goes by email and a phone
// setup is refused. Emailed sign-in codes have a per-user cap of their own, so that a
// leaked password cannot flood a mailbox. Every capped send is audited.
let fake: Awaited<ReturnType<typeof startFakeSmsProvider>>;

beforeAll(async () => {
  fake = await startFakeSmsProvider();
});

afterAll(() => fake.close());

const HOUR = 60 * 60_000;
let phones = 0;
// A number no other test uses: the unit tests share one database.
const newPhone = () => `+4477009${String(process.pid % 100).padStart(2, "0")}${String(++phones).padStart(3, "0")}`;

async function smsUser(accountId?: string) {
  const user = await createUser({ accountId, role: accountId ? "MEMBER" : "OWNER" });
  return db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: "sms", phone: newPhone(), phoneVerifiedAt: new Date() },
  });
}

// One sign-in: a fresh challenge and its first code, as the password step sends it.
async function signIn(userId: string, at: Date, pendingFactor: PendingFactor = "sms") {
  const { token, challenge } = await createLoginChallenge(db, { userId, pendingFactor, request, now: at });
  return { token, id: challenge.id, sent: await sendChallengeCode({ challengeId: challenge.id, now: at }) };
}

const row = (id: string) => db.loginChallenge.findUniqueOrThrow({ where: { id } });
const audits = (targetId: string, type: string) =>
  db.auditEvent.findMany({ where: { targetId, type }, orderBy: { createdAt: "asc" } });

describe("hourly cap on texts", () => {
  it("sends the sixth sign-in code of the hour by email, records why on the challenge, and audits it", async () => {
    const user = await smsUser();
    const start = new Date();
    for (let i = 0; i < SMS_PER_USER_PER_HOUR; i++) {
      const { id, sent } = await signIn(user.id, new Date(start.getTime() + i * 1000));
      expect(sent).toEqual({ ok: true, channel: "sms", fallback: null });
      expect(await row(id)).toMatchObject({ codeChannel: "sms", codeFallback: null });
    }
    const sixth = await signIn(user.id, new Date(start.getTime() + 10_000));
    expect(sixth.sent).toEqual({ ok: true, channel: "email", fallback: "sms_limit" });
    expect(await row(sixth.id)).toMatchObject({ codeChannel: "email", codeFallback: "sms_limit" });
    expect(await readCodeDelivery(await row(sixth.id))).toEqual({
      sent: true,
      channel: "email",
      fallback: "sms_limit",
    });
    expect(await db.outboundMessage.count({ where: { to: user.phone!, channel: "sms" } })).toBe(SMS_PER_USER_PER_HOUR);
    const events = await audits(user.id, "sms.limited");
    expect(events).toHaveLength(1);
    expect(auditData(events[0])!).toEqual({ scope: "user", purpose: "sign_in" });
    expect(events[0].ip).toBe(request.ip);
    // The emailed code is the one that works.
    expect(
      await verifySecondFactor({
        challengeToken: sixth.token,
        code: await lastCode(user.email),
        kind: "code",
        request,
      }),
    ).toEqual({ ok: true });

    // An hour after the first text, texts go out again.
    expect((await signIn(user.id, new Date(start.getTime() + HOUR + 1))).sent).toEqual({
      ok: true,
      channel: "sms",
      fallback: null,
    });
  });

  it("counts setups and sign-ins together; a phone setup past the cap is refused, never emailed", async () => {
    const user = await smsUser();
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 3; i++)
      expect(
        await startDeliveredSetup({ userId: user.id, method: "sms", phone: user.phone, request, now: at(i) }),
      ).toMatchObject({ ok: true });
    for (let i = 3; i < SMS_PER_USER_PER_HOUR; i++)
      expect((await signIn(user.id, at(i))).sent).toMatchObject({ channel: "sms" });
    const emailsBefore = await db.outboundMessage.count({ where: { to: user.email } });

    const refused = await startDeliveredSetup({
      userId: user.id,
      method: "sms",
      phone: user.phone,
      request,
      now: at(10),
    });
    expect(refused).toMatchObject({ ok: false, error: "sms_limit" });
    expect(refused.ok === false && "retryAfterSeconds" in refused && refused.retryAfterSeconds).toBeGreaterThan(
      HOUR / 1000 - 20,
    );
    expect(await resendDeliveredSetupCode({ userId: user.id, request, now: at(45) })).toMatchObject({
      ok: false,
      error: "sms_limit",
    });
    expect(await db.outboundMessage.count({ where: { to: user.email } })).toBe(emailsBefore);
    expect(await db.outboundMessage.count({ where: { to: user.phone!, channel: "sms" } })).toBe(SMS_PER_USER_PER_HOUR);
    expect((await audits(user.id, "sms.limited")).map((e) => auditData(e)!)).toEqual([
      { scope: "user", purpose: "setup" },
      { scope: "user", purpose: "setup" },
    ]);
    // Email codes are not texts: that setup still works.
    expect(await startDeliveredSetup({ userId: user.id, method: "email", request, now: at(50) })).toMatchObject({
      ok: true,
    });
  });

  it("holds the account's cap across its users; admins set it, audited and validated", async () => {
    const owner = await smsUser();
    expect(await updateSmsPerHour({ actor: owner, smsPerHour: 2, request })).toEqual({ ok: true });
    const changed = await db.auditEvent.findFirstOrThrow({
      where: { accountId: owner.accountId, type: "sms.limit_changed" },
    });
    expect(changed.actorId).toBe(owner.id);
    expect(auditData(changed)!).toEqual({ from: 100, to: 2 });
    for (const bad of [-1, 1.5, 10_001, Number.NaN])
      expect(await updateSmsPerHour({ actor: owner, smsPerHour: bad, request })).toEqual({
        ok: false,
        error: "invalid_input",
      });
    const member = await smsUser(owner.accountId);
    expect(await updateSmsPerHour({ actor: member, smsPerHour: 10_000, request })).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect((await db.account.findUniqueOrThrow({ where: { id: owner.accountId } })).smsPerHour).toBe(2);

    const third = await smsUser(owner.accountId);
    const start = new Date();
    expect((await signIn(owner.id, start)).sent).toMatchObject({ channel: "sms" });
    expect((await signIn(member.id, new Date(start.getTime() + 1000))).sent).toMatchObject({ channel: "sms" });
    const capped = await signIn(third.id, new Date(start.getTime() + 2000));
    expect(capped.sent).toEqual({ ok: true, channel: "email", fallback: "sms_limit" });
    expect(auditData((await audits(third.id, "sms.limited"))[0])!).toEqual({
      scope: "account",
      purpose: "sign_in",
    });
    // Another account's texts are not this one's.
    expect((await signIn((await smsUser()).id, new Date(start.getTime() + 3000))).sent).toMatchObject({
      channel: "sms",
    });
  });

  it("records a failed text as the reason the code was emailed", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "sms", phone: "+447700900000" } });
    const { id, sent } = await signIn(user.id, new Date());
    expect(sent).toEqual({ ok: true, channel: "email", fallback: "sms_failed" });
    expect(await row(id)).toMatchObject({ codeChannel: "email", codeFallback: "sms_failed" });
  });
});

describe("hourly cap on emailed sign-in codes", () => {
  it("sends none past the cap; the challenge stays, says when, and the refusal is audited", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email" } });
    const start = new Date();
    for (let i = 0; i < SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR; i++)
      expect((await signIn(user.id, new Date(start.getTime() + i * 1000), "email")).sent).toMatchObject({
        ok: true,
        channel: "email",
      });
    const capped = await signIn(user.id, new Date(start.getTime() + 20_000), "email");
    expect(capped.sent).toMatchObject({ ok: false, error: "email_limit" });
    expect(await db.outboundMessage.count({ where: { to: user.email } })).toBe(SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR);
    expect(await row(capped.id)).toMatchObject({ codeChannel: null, codeHash: null });
    expect(await readCodeDelivery(await row(capped.id), new Date(start.getTime() + 20_000))).toEqual({
      sent: false,
      nextCodeAt: new Date(start.getTime() + HOUR),
    });
    expect(await audits(user.id, "sign_in_code.email_limited")).toHaveLength(1);

    // The password step goes on to the second step, which says why no code came.
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "email", request });
    expect(await sendFirstChallengeCode({ challengeId: challenge.id })).toEqual({ ok: true });
    expect((await row(challenge.id)).consumedAt).toBeNull();
  });

  it("applies to an SMS user's fallback too: past both caps no code goes out", async () => {
    const user = await smsUser();
    const start = new Date();
    for (let i = 0; i < SMS_PER_USER_PER_HOUR + SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR; i++)
      expect((await signIn(user.id, new Date(start.getTime() + i * 1000))).sent.ok).toBe(true);
    expect((await signIn(user.id, new Date(start.getTime() + 30_000))).sent).toMatchObject({
      ok: false,
      error: "email_limit",
    });
  });
});

describe("a locked user", () => {
  it("is sent no code; the sign-in goes on to a second step that tells the lock", async () => {
    const user = await smsUser();
    const until = new Date(Date.now() + 10 * 60_000);
    await db.user.update({ where: { id: user.id }, data: { secondFactorLockedUntil: until } });
    const { id, sent } = await signIn(user.id, new Date());
    expect(sent).toEqual({ ok: false, error: "locked", lockedUntil: until });
    const { challenge } = await createLoginChallenge(db, { userId: user.id, pendingFactor: "sms", request });
    expect(await sendFirstChallengeCode({ challengeId: challenge.id })).toEqual({ ok: true });
    expect(await db.outboundMessage.count({ where: { userId: user.id } })).toBe(0);
    expect(await readSecondStep({ challengeId: id })).toEqual({
      lock: { locked: true, until, emailed: false },
      delivery: { sent: false, nextCodeAt: null },
      destination: null,
      others: [],
      hasRecoveryCodes: false,
      issuer: "Test Org",
    });
  });
});
