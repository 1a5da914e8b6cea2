// Property: an account texts only allowed countries, capped hourly per country, never premium or shared-cost numbers; the rest get codes by email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredSmsCountries, updateSmsCountries } from "@/lib/account/settings";
import { auditData } from "@/lib/audit/record";
import { confirmDeliveredSetup, resendDeliveredSetupCode, startDeliveredSetup } from "@/lib/factors/sms-email/setup";
import { readCodeDelivery, sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { setTwoFactorPreference } from "@/lib/people/user-admin";
import { db } from "@/lib/platform/db";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { org } from "../admin-fixtures";
import { createUser, lastCode, request } from "../factories";
import { startFakeSmsProvider } from "../fake-server";

// SMS pumping by destination: whoever can make us text can choose where, and texts to
// some countries, and to premium-rate or shared-cost numbers anywhere, cost far more (or
// pay the attacker). An account now texts only the countries its admins allow (any while
// none is chosen), at most so many texts an hour to each country, and never numbers of a
// kind that is no one's own phone. A country taken off the list stops texts to the
// numbers already there: their sign-in codes go by email.
let fake: Awaited<ReturnType<typeof startFakeSmsProvider>>;

beforeAll(async () => {
  fake = await startFakeSmsProvider();
});

afterAll(() => fake.close());

const HOUR = 60 * 60_000;
const run = String(process.pid % 1000).padStart(3, "0");
let numbers = 0;
// Mobile numbers no other test uses (the unit tests share one database).
const ukMobile = () => `+4474${run}${String(++numbers).padStart(5, "0")}`;
const frenchMobile = () => `+3361${run}${String(++numbers).padStart(4, "0")}`;

async function smsUser(accountId: string, phone: string) {
  const user = await createUser({ accountId, role: "MEMBER" });
  return db.user.update({
    where: { id: user.id },
    data: { twoFactorMethod: "sms", smsEnabledAt: new Date(), phone, phoneVerifiedAt: new Date() },
  });
}

async function signIn(userId: string, at: Date) {
  const { challenge } = await createLoginChallenge(db, { userId, pendingFactor: "sms", request, now: at });
  return { id: challenge.id, sent: await sendChallengeCode({ challengeId: challenge.id, now: at }) };
}

const textsTo = (to: string) => db.outboundMessage.count({ where: { to, channel: "sms" } });

describe("a new SMS number", () => {
  it("is refused in a country the account does not text, in My Profile and from an admin; nothing is sent", async () => {
    const { owner, member } = await org();
    expect(await updateSmsCountries({ actor: owner, countries: ["GB"], perCountryPerHour: 100, request })).toEqual({
      ok: true,
    });
    const french = frenchMobile();
    expect(await startDeliveredSetup({ userId: member.id, method: "sms", phone: french, request })).toEqual({
      ok: false,
      error: "sms_country_not_allowed",
      country: "FR",
      allowed: ["GB"],
    });
    // Typed as a national number with its country chosen, it is the same number.
    expect(
      await startDeliveredSetup({
        userId: member.id,
        method: "sms",
        phone: french.replace("+33", "0"),
        phoneCountry: "FR",
      }),
    ).toMatchObject({ ok: false, error: "sms_country_not_allowed" });
    expect(await textsTo(french)).toBe(0);
    expect(await db.deliveredCodeSetup.count({ where: { userId: member.id } })).toBe(0);

    expect(
      await setTwoFactorPreference({ actor: owner, userId: member.id, method: "sms", phone: french, request }),
    ).toEqual({ ok: false, error: "sms_country_not_allowed" });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBeNull();

    // A number in an allowed country goes through, and so does any number where none is chosen.
    const british = ukMobile();
    expect(await startDeliveredSetup({ userId: member.id, method: "sms", phone: british, request })).toMatchObject({
      ok: true,
      destination: british,
    });
    const open = await createUser();
    expect(await startDeliveredSetup({ userId: open.id, method: "sms", phone: frenchMobile(), request })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it("is refused when premium-rate, wherever it is and whoever enters it", async () => {
    const { owner, member } = await org();
    for (const premium of ["+33891234567", "+449098790001", "+19002345678"]) {
      expect(await startDeliveredSetup({ userId: member.id, method: "sms", phone: premium, request })).toEqual({
        ok: false,
        error: "phone_type_not_allowed",
        phoneType: "premium_rate",
      });
      expect(
        await setTwoFactorPreference({ actor: owner, userId: member.id, method: "sms", phone: premium, request }),
      ).toEqual({ ok: false, error: "phone_type_not_allowed" });
      expect(await textsTo(premium)).toBe(0);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).phone).toBeNull();
  });

  it("is refused when shared-cost", async () => {
    const { owner, member } = await org();
    for (const shared of ["+33810123456", "+4918012345678"]) {
      expect(await startDeliveredSetup({ userId: member.id, method: "sms", phone: shared, request })).toEqual({
        ok: false,
        error: "phone_type_not_allowed",
        phoneType: "shared_cost",
      });
      expect(
        await setTwoFactorPreference({ actor: owner, userId: member.id, method: "sms", phone: shared, request }),
      ).toEqual({ ok: false, error: "phone_type_not_allowed" });
      expect(await textsTo(shared)).toBe(0);
    }
  });

  it("is refused at confirmation, and gets no more codes, once its country is taken off the list", async () => {
    const { owner, member } = await org();
    const british = ukMobile();
    const start = new Date();
    expect(
      await startDeliveredSetup({ userId: member.id, method: "sms", phone: british, request, now: start }),
    ).toMatchObject({ ok: true });
    const code = await lastCode(british);
    await updateSmsCountries({ actor: owner, countries: ["FR"], perCountryPerHour: 100, request });
    expect(
      await resendDeliveredSetupCode({ userId: member.id, request, now: new Date(start.getTime() + 60_000) }),
    ).toMatchObject({ ok: false, error: "sms_country_not_allowed", country: "GB" });
    expect(await textsTo(british)).toBe(1);
    expect(await confirmDeliveredSetup({ userId: member.id, code, request })).toMatchObject({
      ok: false,
      error: "sms_country_not_allowed",
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      phone: null,
      smsEnabledAt: null,
    });
  });
});

describe("texts by country", () => {
  it("refuses the text past the hourly cap to one country while another country still gets texts", async () => {
    const { owner, accountId } = await org();
    expect(await updateSmsCountries({ actor: owner, countries: [], perCountryPerHour: 2, request })).toEqual({
      ok: true,
    });
    const britons = [await smsUser(accountId, ukMobile()), await smsUser(accountId, ukMobile())];
    const third = await smsUser(accountId, ukMobile());
    const french = await smsUser(accountId, frenchMobile());
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

    for (const [i, user] of britons.entries())
      expect((await signIn(user.id, at(i))).sent).toEqual({ ok: true, channel: "sms", fallback: null });
    const capped = await signIn(third.id, at(5));
    expect(capped.sent).toEqual({ ok: true, channel: "email", fallback: "sms_country_limit" });
    expect(await readCodeDelivery(await db.loginChallenge.findUniqueOrThrow({ where: { id: capped.id } }))).toEqual({
      sent: true,
      channel: "email",
      fallback: "sms_country_limit",
    });
    expect(await textsTo(third.phone!)).toBe(0);
    const events = await db.auditEvent.findMany({ where: { targetId: third.id, type: "sms.limited" } });
    expect(events.map((event) => auditData(event))).toEqual([{ scope: "country", purpose: "sign_in", country: "GB" }]);

    // France has its own count; a British phone setup waits like the sign-in did.
    expect((await signIn(french.id, at(6))).sent).toEqual({ ok: true, channel: "sms", fallback: null });
    expect(
      await startDeliveredSetup({ userId: owner.id, method: "sms", phone: ukMobile(), request, now: at(7) }),
    ).toMatchObject({ ok: false, error: "sms_limit", country: true });

    // An hour after the first, texts to the UK go out again.
    expect((await signIn(third.id, new Date(start.getTime() + HOUR + 1000))).sent).toMatchObject({ channel: "sms" });
  });

  it("emails the sign-in code of a number whose country was taken off the list", async () => {
    const { owner, accountId } = await org();
    const user = await smsUser(accountId, ukMobile());
    expect((await signIn(user.id, new Date())).sent).toMatchObject({ channel: "sms" });
    await updateSmsCountries({ actor: owner, countries: ["FR", "IE"], perCountryPerHour: 100, request });
    const refused = await signIn(user.id, new Date(Date.now() + 60_000));
    expect(refused.sent).toEqual({ ok: true, channel: "email", fallback: "sms_country" });
    expect(await db.loginChallenge.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({
      codeChannel: "email",
      codeFallback: "sms_country",
    });
    expect(await textsTo(user.phone!)).toBe(1);
    // Put back on the list, the country is texted again.
    await updateSmsCountries({ actor: owner, countries: ["GB"], perCountryPerHour: 100, request });
    expect((await signIn(user.id, new Date(Date.now() + 120_000))).sent).toMatchObject({ channel: "sms" });
  });
});

describe("the countries setting", () => {
  it("is for admins, checked, stored sorted without repeats, and audited with what it was", async () => {
    const { admin, member, accountId } = await org();
    for (const [countries, perCountryPerHour] of [
      [["XX"], 100],
      [["gb"], 100],
      [["GB"], 0],
      [["GB"], 10_001],
      [["GB"], 1.5],
    ] as const)
      expect(await updateSmsCountries({ actor: admin, countries: [...countries], perCountryPerHour, request })).toEqual(
        {
          ok: false,
          error: "invalid_input",
        },
      );
    expect(
      await updateSmsCountries({ actor: member, countries: ["GB"], perCountryPerHour: 10, request }),
    ).toMatchObject({ ok: false, error: "forbidden" });
    expect(await db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      smsCountries: [],
      smsPerCountryPerHour: 100,
    });

    expect(
      await updateSmsCountries({ actor: admin, countries: ["IE", "GB", "IE"], perCountryPerHour: 20, request }),
    ).toEqual({ ok: true });
    expect(await db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      smsCountries: ["GB", "IE"],
      smsPerCountryPerHour: 20,
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { accountId, type: "sms.countries_changed" } });
    expect(event.actorId).toBe(admin.id);
    expect(auditData(event)).toEqual({
      countries: "GB,IE",
      perCountryPerHour: 20,
      countriesBefore: "",
      perCountryPerHourBefore: 100,
    });
  });

  it("lists the countries of the numbers people have, most first", async () => {
    const { owner, member, accountId } = await org();
    await smsUser(accountId, frenchMobile());
    await smsUser(accountId, ukMobile());
    await smsUser(accountId, ukMobile());
    await db.user.update({ where: { id: member.id }, data: { phone: "+12025550123" } });
    expect(await registeredSmsCountries({ actor: owner })).toEqual([
      { country: "GB", numbers: 2 },
      { country: "FR", numbers: 1 },
      { country: "US", numbers: 1 },
    ]);
    expect(await registeredSmsCountries({ actor: member })).toEqual([]);
  });
});
