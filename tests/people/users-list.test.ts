// An admin's Users list shows each user's 2FA state truly and finds exactly whom each search, filter and page asks for.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { methodsOf } from "@/lib/factors/kinds";
import { listUsers } from "@/lib/people/users-list";
import { db } from "@/lib/platform/db";
import { org, withTwoFactor } from "../admin-fixtures";
import { createUser } from "../factories";

async function adminOfNewAccount() {
  const admin = await createUser({ role: "OWNER" });
  return { admin, accountId: admin.accountId };
}

async function person(
  accountId: string,
  name: string,
  email = `${crypto.randomBytes(5).toString("hex")}@example.test`,
) {
  return db.user.create({ data: { accountId, name, email } });
}

async function giveMethods(
  userId: string,
  methods: { passkey?: boolean; app?: boolean; sms?: boolean; email?: boolean },
) {
  if (methods.passkey) {
    await db.webAuthnCredential.create({
      data: { userId, credentialId: crypto.randomUUID(), publicKey: "key", name: "Laptop", deviceType: "singleDevice" },
    });
  }
  if (methods.app) await db.totpCredential.create({ data: { userId, encryptedSecret: "sealed" } });
  await db.user.update({
    where: { id: userId },
    data: {
      smsEnabledAt: methods.sms ? new Date() : null,
      phone: methods.sms ? "+447700900123" : null,
      emailCodesEnabledAt: methods.email ? new Date() : null,
    },
  });
}

describe("methodsOf", () => {
  it("lists every method a user has, strongest first", () => {
    const none = {
      totpCredential: null,
      smsEnabledAt: null,
      emailCodesEnabledAt: null,
      _count: { webAuthnCredentials: 0 },
    };
    expect(methodsOf(none)).toEqual([]);
    expect(
      methodsOf({
        totpCredential: { id: "t" },
        smsEnabledAt: null,
        emailCodesEnabledAt: new Date(),
        _count: { webAuthnCredentials: 2 },
      }),
    ).toEqual(["passkey", "totp", "email"]);
    expect(methodsOf({ ...none, smsEnabledAt: new Date() })).toEqual(["sms"]);
  });
});

describe("users list", () => {
  it("shows each user's 2FA status, compliance, lock and disabled state, and filters the non-compliant", async () => {
    const { owner, admin, member, accountId } = await org();
    const sms = await createUser({ role: "MEMBER", accountId });
    const exempt = await createUser({ role: "MEMBER", accountId });
    const disabled = await createUser({ role: "MEMBER", accountId });
    await withTwoFactor(owner.id, "totp");
    await withTwoFactor(sms.id, "sms");
    await db.user.update({ where: { id: exempt.id }, data: { twoFactorExempt: true } });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    await db.user.update({
      where: { id: member.id },
      data: { secondFactorLockedUntil: new Date(Date.now() + 60_000), lastSignInAt: new Date() },
    });
    await db.user.update({ where: { id: admin.id }, data: { secondFactorLockedUntil: new Date(Date.now() - 60_000) } });

    const before = await listUsers({ actor: admin });
    if (!before.ok) throw new Error(before.error);
    const byId = Object.fromEntries(before.users.map((u) => [u.id, u]));
    expect(byId[owner.id]).toMatchObject({
      twoFactorStatus: "app",
      compliant: true,
      role: "OWNER",
      email: owner.email,
      name: owner.name,
    });
    expect(byId[sms.id]).toMatchObject({ twoFactorStatus: "sms", compliant: true });
    expect(byId[exempt.id]).toMatchObject({ twoFactorStatus: "exempt", exempt: true, compliant: true });
    expect(byId[member.id]).toMatchObject({ twoFactorStatus: "none", compliant: true, locked: true });
    expect(byId[member.id].lastSignInAt).toBeInstanceOf(Date);
    expect(byId[admin.id]).toMatchObject({ locked: false, disabled: false, lastSignInAt: null });
    expect(byId[disabled.id]).toMatchObject({ disabled: true });

    await db.account.update({
      where: { id: accountId },
      data: {
        enforceTwoFactor: true,
        enforceSince: new Date(),
        enforceGraceDays: 5,
        allowedMethods: ["totp", "email"],
      },
    });
    const after = await listUsers({ actor: admin, filter: "not_compliant" });
    // The SMS user no longer complies once SMS is not allowed; disabled users are left out.
    expect(after.ok && after.users.map((u) => u.id).sort()).toEqual([admin.id, member.id, sms.id].sort());
    const all = await listUsers({ actor: admin, filter: "all" });
    expect(all.ok && all.users.find((u) => u.id === member.id)).toMatchObject({
      compliant: false,
      deadline: expect.any(Date),
    });
  });

  it("pages past 50 users by name, forwards and back, without gaps or repeats", async () => {
    const { admin, accountId } = await adminOfNewAccount();
    // Names repeat, so the order needs the id to be stable.
    for (let i = 0; i < 119; i++) await person(accountId, `Person ${String(i % 40).padStart(2, "0")}`);
    const expected = await db.user.findMany({ where: { accountId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    expect(expected).toHaveLength(120);

    const pages: { ids: string[]; previous: string | null; next: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsers({ actor: admin, cursor });
      if (!page.ok) throw new Error(page.error);
      expect(page.total).toBe(120);
      pages.push({ ids: page.users.map((u) => u.id), previous: page.previous, next: page.next });
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.ids.length)).toEqual([50, 50, 20]);
    expect(pages.flatMap((p) => p.ids)).toEqual(expected.map((u) => u.id));
    expect(pages[0].previous).toBeNull();

    const back = await listUsers({ actor: admin, cursor: pages[2].previous ?? "", direction: "previous" });
    expect(back.ok && back.users.map((u) => u.id)).toEqual(pages[1].ids);
    const first = await listUsers({
      actor: admin,
      cursor: back.ok ? (back.previous ?? "") : "",
      direction: "previous",
    });
    expect(first.ok && first.users.map((u) => u.id)).toEqual(pages[0].ids);
    expect(first.ok && first.previous).toBeNull();
  });

  it("searches names and emails whatever the case, and takes % and _ literally", async () => {
    const { admin, accountId } = await adminOfNewAccount();
    const grace = await person(accountId, "Grace Hopper", "grace.hopper@navy.example");
    const ada = await person(accountId, "Ada LOVELACE", "ada@engine.example");
    const percent = await person(accountId, "100% Robot", "robot_1@example.test");
    await person(accountId, "Alan Turing", "alan@bletchley.example");
    const ids = async (search: string) => {
      const page = await listUsers({ actor: admin, search });
      if (!page.ok) throw new Error(page.error);
      return page.users.map((u) => u.id).sort();
    };
    expect(await ids("grace")).toEqual([grace.id]);
    expect(await ids("LOVELACE")).toEqual([ada.id]);
    expect(await ids("lovelace")).toEqual([ada.id]);
    expect(await ids("ENGINE.EXAMPLE")).toEqual([ada.id]);
    expect(await ids("  hopper  ")).toEqual([grace.id]);
    expect(await ids("%")).toEqual([percent.id]);
    expect(await ids("t_1")).toEqual([percent.id]);
    // Another account's people are never found.
    const other = await adminOfNewAccount();
    await person(other.accountId, "Grace Elsewhere");
    expect(await ids("Grace")).toEqual([grace.id]);
  });

  it("filters by method, shows every method of each user, and combines with search", async () => {
    const { admin, accountId } = await adminOfNewAccount();
    const both = await person(accountId, "Both Passkey And App");
    const sms = await person(accountId, "Sam Sms");
    const email = await person(accountId, "Eve Email");
    const nothing = await person(accountId, "Nat Nothing");
    await giveMethods(both.id, { passkey: true, app: true });
    await giveMethods(sms.id, { sms: true, email: true });
    await giveMethods(email.id, { email: true });
    const ids = async (method: "passkey" | "app" | "sms" | "email" | "none", search?: string) => {
      const page = await listUsers({ actor: admin, method, search });
      if (!page.ok) throw new Error(page.error);
      return page.users.map((u) => u.id).sort();
    };
    expect(await ids("passkey")).toEqual([both.id]);
    expect(await ids("app")).toEqual([both.id]);
    expect(await ids("sms")).toEqual([sms.id]);
    expect(await ids("email")).toEqual([sms.id, email.id].sort());
    expect(await ids("none")).toEqual([admin.id, nothing.id].sort());
    expect(await ids("email", "eve")).toEqual([email.id]);

    const all = await listUsers({ actor: admin });
    if (!all.ok) throw new Error(all.error);
    const methods = Object.fromEntries(all.users.map((u) => [u.id, u.methods]));
    expect(methods[both.id]).toEqual(["passkey", "totp"]);
    expect(methods[sms.id]).toEqual(["sms", "email"]);
    expect(methods[nothing.id]).toEqual([]);
  });

  // The "not compliant" filter is a query, the compliant flag a function: they must agree.
  it("filters 'not compliant' exactly as each row's compliant flag says", async () => {
    const { admin, accountId } = await adminOfNewAccount();
    const cases = [
      { role: "MEMBER", methods: { app: true } },
      { role: "MEMBER", methods: { sms: true } },
      { role: "MEMBER", methods: { email: true } },
      { role: "MEMBER", methods: { passkey: true } },
      { role: "ADMIN", methods: { passkey: true, app: true } },
      { role: "ADMIN", methods: { app: true } },
      { role: "MEMBER", methods: {} },
      { role: "MEMBER", methods: {}, data: { twoFactorExempt: true } },
      { role: "MEMBER", methods: {}, data: { disabledAt: new Date() } },
      { role: "ADMIN", methods: { sms: true }, data: { twoFactorExempt: true } },
    ] as const;
    for (const [i, c] of cases.entries()) {
      const user = await person(accountId, `Case ${i}`);
      await db.user.update({ where: { id: user.id }, data: { role: c.role, ...("data" in c ? c.data : {}) } });
      await giveMethods(user.id, c.methods);
    }
    const settings = [
      { enforceTwoFactor: false, requirePasskey: "off", allowedMethods: ["passkey", "totp", "sms", "email"] },
      {
        enforceTwoFactor: true,
        enforceSince: new Date(),
        enforceGraceDays: 3,
        allowedMethods: ["totp", "sms", "email"],
      },
      { enforceTwoFactor: true, enforceSince: new Date(0), enforceGraceDays: 0, allowedMethods: ["totp", "email"] },
      {
        enforceTwoFactor: false,
        requirePasskey: "admins",
        requirePasskeySince: new Date(),
        allowedMethods: ["passkey", "totp"],
      },
      {
        enforceTwoFactor: true,
        requirePasskey: "everyone",
        requirePasskeySince: new Date(),
        allowedMethods: ["passkey"],
      },
      {
        enforceTwoFactor: true,
        requirePasskey: "admins",
        requirePasskeySince: new Date(),
        allowedMethods: ["totp", "sms"],
      },
    ] as const;
    const seen = new Set<number>();
    for (const setting of settings) {
      await db.account.update({
        where: { id: accountId },
        data: { requirePasskey: "off", ...setting, allowedMethods: [...setting.allowedMethods] },
      });
      const all = await listUsers({ actor: admin });
      const filtered = await listUsers({ actor: admin, filter: "not_compliant" });
      if (!all.ok || !filtered.ok) throw new Error("refused");
      const expected = all.users.filter((u) => !u.compliant && !u.disabled).map((u) => u.id);
      expect(filtered.users.map((u) => u.id).sort()).toEqual(expected.sort());
      expect(filtered.total).toBe(expected.length);
      seen.add(expected.length);
    }
    // The settings above leave different numbers of people out of step, so the
    // comparison is not between two empty lists.
    expect(seen.size).toBeGreaterThan(2);
  });
});
