// Property: a sign-in from a browser or API client the user has not used is emailed to them; a first sign-in or a known device is not.
import { describe, expect, it } from "vitest";
import { readMessageBody } from "@/lib/messages/outbox";
import { db } from "@/lib/platform/db";
import { newDeviceToken } from "@/lib/sign-in/known-device";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { completeSignIn } from "@/lib/sign-in/password-step";
import { createUser, newBrowser } from "../factories";

// A sign-in from a browser or API client the account has not used is emailed to its
// owner, so that a stolen password used from elsewhere does not go unnoticed.

const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

async function signIn(userId: string, client: Parameters<typeof completeSignIn>[0]["client"], ip = "198.51.100.20") {
  const request = { ip, userAgent: chrome };
  const { token } = await createLoginChallenge(db, { userId, pendingFactor: null, request });
  const result = await completeSignIn({ challengeToken: token, request, client });
  expect(result?.userId).toBe(userId);
}

async function notices(email: string) {
  const messages = await db.outboundMessage.findMany({ where: { to: email }, orderBy: { createdAt: "asc" } });
  return messages
    .filter((m) => m.subject?.startsWith("New "))
    .map((m) => ({ subject: m.subject, text: readMessageBody(m)! }));
}

async function lastSignInAudit(userId: string) {
  const event = await db.auditEvent.findFirstOrThrow({
    where: { targetId: userId, type: "sign_in.succeeded" },
    orderBy: { createdAt: "desc" },
  });
  return event.data;
}

describe("new sign-in notices", () => {
  it("says nothing on a person's very first sign-in, which is always from a new browser", async () => {
    const user = await createUser();
    await signIn(user.id, newBrowser);
    expect(await notices(user.email)).toEqual([]);
    expect(await lastSignInAudit(user.id)).toEqual({ client: "browser", newClient: true });
  });

  it("emails the time (UTC), address and browser of a sign-in from a browser without the device cookie", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date(Date.now() - 86_400_000) } });
    await signIn(user.id, newBrowser, "198.51.100.77");
    const [notice, ...more] = await notices(user.email);
    expect(more).toEqual([]);
    expect(notice!.subject).toBe("New sign-in to your StrongSign account");
    expect(notice!.text).toContain("Chrome on Linux, IP 198.51.100.77, on ");
    expect(notice!.text).toMatch(/\d{2}:\d{2} UTC/);
    expect(notice!.text).toContain("change your password at once");
    expect(await lastSignInAudit(user.id)).toEqual({ client: "browser", newClient: true });
  });

  it("stays quiet for a browser holding the user's device cookie, but not another user's", async () => {
    const user = await createUser();
    const other = await createUser();
    await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await signIn(user.id, { kind: "browser", deviceTokens: ["garbage", newDeviceToken(user.id)] });
    expect(await notices(user.email)).toEqual([]);
    expect(await lastSignInAudit(user.id)).toEqual({ client: "browser", newClient: false });
    await signIn(user.id, { kind: "browser", deviceTokens: [newDeviceToken(other.id)] });
    expect(await notices(user.email)).toHaveLength(1);
  });

  it("treats an API client as new when none of the user's sessions was made from its address", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await signIn(user.id, { kind: "api" }, "198.51.100.30");
    const [notice] = await notices(user.email);
    expect(notice!.subject).toBe("New API sign-in to your StrongSign account");
    expect(notice!.text).toContain("through the API from an address it has not used before");
    expect(notice!.text).toContain("IP 198.51.100.30");
    // The same address again: its first session is still live, so this one is not new.
    await signIn(user.id, { kind: "api" }, "198.51.100.30");
    expect(await notices(user.email)).toHaveLength(1);
    expect(await lastSignInAudit(user.id)).toEqual({ client: "api", newClient: false });
  });
});
