// Property: an access token is shown once, stored hashed, works with its scopes until revoked or expired; the admin endpoint says why it refuses.
import { describe, expect, it } from "vitest";
import { authenticateBearer, createAccessToken, listAccessTokens, revokeAccessToken } from "@/lib/api/access-tokens";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { GET } from "../../app/api/v1/account/users/route";
import { createUser, request } from "../factories";

async function tokenFor(userId: string, scopes = ["read"], expiresInDays: number | null = 30, now?: Date) {
  const result = await createAccessToken({ userId, name: "CI deploy", scopes, expiresInDays, request, now });
  if (!result.ok) throw new Error(result.error);
  return result.token;
}

describe("personal access tokens", () => {
  it("are shown once, stored only as a hash, and authenticate with their scopes", async () => {
    const user = await createUser({ role: "MEMBER" });
    const token = await tokenFor(user.id, ["read", "write"]);
    expect(token).toMatch(/^ssp_[A-Za-z0-9_-]{40,}$/);
    const stored = await db.accessToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    const principal = await authenticateBearer(`Bearer ${token}`);
    expect(principal?.user.id).toBe(user.id);
    expect(principal?.scopes).toEqual(["read", "write"]);
    expect((await db.accessToken.findFirstOrThrow({ where: { userId: user.id } })).lastUsedAt).not.toBeNull();
    expect(
      await db.outboundMessage.count({ where: { to: user.email, subject: "A new personal access token was created" } }),
    ).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: user.id, type: "token.created" } })).toBe(1);
  });

  it("refuses the admin scope to members, no scopes, unknown scopes, bad names and expiries", async () => {
    const member = await createUser({ role: "MEMBER" });
    const attempt = (options: Partial<Parameters<typeof createAccessToken>[0]>) =>
      createAccessToken({ userId: member.id, name: "x", scopes: ["read"], expiresInDays: 30, request, ...options });
    expect(await attempt({ scopes: ["admin"] })).toEqual({ ok: false, error: "admin_scope_for_member" });
    expect(await attempt({ scopes: [] })).toEqual({ ok: false, error: "invalid_scopes" });
    expect(await attempt({ scopes: ["read", "root"] })).toEqual({ ok: false, error: "invalid_scopes" });
    expect(await attempt({ name: "   " })).toEqual({ ok: false, error: "invalid_name" });
    expect(await attempt({ name: "n".repeat(101) })).toEqual({ ok: false, error: "invalid_name" });
    expect(await attempt({ expiresInDays: 0 })).toEqual({ ok: false, error: "invalid_expiry" });
    expect(await db.accessToken.count({ where: { userId: member.id } })).toBe(0);
  });

  it("stop working when revoked, expired, or their user is disabled", async () => {
    const user = await createUser();
    const start = new Date();
    const token = await tokenFor(user.id, ["read"], 7, start);
    expect(
      await authenticateBearer(`Bearer ${token}`, new Date(start.getTime() + 7 * 24 * 60 * 60_000 + 1)),
    ).toBeNull();

    const other = await tokenFor(user.id);
    const [listed] = await listAccessTokens(user.id);
    expect(await revokeAccessToken({ userId: user.id, tokenId: listed.id, request })).toBe(true);
    expect(await revokeAccessToken({ userId: user.id, tokenId: listed.id, request })).toBe(false);
    expect(await authenticateBearer(`Bearer ${other}`)).toBeNull();
    expect(await listAccessTokens(user.id)).toHaveLength(1);

    const third = await tokenFor(user.id);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await authenticateBearer(`Bearer ${third}`)).toBeNull();
  });

  it("cannot be revoked by someone else", async () => {
    const owner = await createUser();
    const stranger = await createUser();
    const token = await tokenFor(owner.id);
    const [listed] = await listAccessTokens(owner.id);
    expect(await revokeAccessToken({ userId: stranger.id, tokenId: listed.id, request })).toBe(false);
    expect(await authenticateBearer(`Bearer ${token}`)).not.toBeNull();
  });

  it("a session token from API sign-in has its role's scopes; garbage authenticates nobody", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { token } = await createSession(db, { userId: admin.id, request });
    expect((await authenticateBearer(`Bearer ${token}`))?.scopes).toEqual(["read", "write", "admin"]);
    for (const header of [
      null,
      "",
      "Bearer",
      "Bearer ",
      `Basic ${token}`,
      "Bearer ssp_nope",
      `Bearer ${"a".repeat(5000)}`,
      `Bearer ${token} extra`,
    ]) {
      expect(await authenticateBearer(header)).toBeNull();
    }
  });
});

// A member asking for the admins' endpoint is told it is for admins: no token of theirs
// could have the admin scope, so "this token lacks the admin scope" sends them looking
// for one. An admin whose token lacks the scope is told that.
describe("the admins' endpoint", () => {
  const listUsers = (token: string) =>
    GET(new Request("http://localhost/api/v1/account/users", { headers: { authorization: `Bearer ${token}` } }));

  it("answers a member that it is for administrators, whatever their token's scopes", async () => {
    const member = await createUser({ role: "MEMBER" });
    const response = await listUsers(await tokenFor(member.id, ["read", "write"]));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "forbidden", message: "This endpoint is for administrators of the account." },
    });
  });

  it("tells an admin whose token lacks the admin scope just that, and serves one whose token has it", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const lacking = await listUsers(await tokenFor(admin.id, ["read"]));
    expect(lacking.status).toBe(403);
    expect((await lacking.json()).error).toEqual({
      code: "insufficient_scope",
      message: 'This token lacks the "admin" scope.',
    });
    const served = await listUsers(await tokenFor(admin.id, ["read", "admin"]));
    expect(served.status).toBe(200);
    expect((await served.json()).users.map((user: { id: string }) => user.id)).toEqual([admin.id]);
  });
});
