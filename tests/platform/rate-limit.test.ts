// Property: the password step backs off exponentially per email after five failures, even for the right password, counting in the database.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/platform/db";
import { backoffMs, clearFailures, passwordLimitKeys, recordFailure, retryAfterMs } from "@/lib/platform/rate-limit";
import { passwordStep } from "@/lib/sign-in/password-step";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories";

describe("password-step rate limit", () => {
  it("backs off exponentially after the free attempts, with a cap", () => {
    expect(backoffMs(5, 5)).toBe(0);
    expect(backoffMs(6, 5)).toBe(2_000);
    expect(backoffMs(7, 5)).toBe(4_000);
    expect(backoffMs(8, 5)).toBe(8_000);
    expect(backoffMs(30, 5)).toBe(5 * 60_000);
  });

  it("blocks an email after five failures and frees it when the wait is over", async () => {
    const [emailKey] = passwordLimitKeys(uniqueEmail(), "198.51.100.1");
    const now = new Date();
    for (let i = 0; i < 5; i++) await recordFailure(emailKey, now);
    expect(await retryAfterMs([emailKey], now)).toBe(0);
    await recordFailure(emailKey, now);
    expect(await retryAfterMs([emailKey], now)).toBe(2_000);
    expect(await retryAfterMs([emailKey], new Date(now.getTime() + 2_001))).toBe(0);
  });

  // The counters live in the database: they must hold for another process or instance.
  it("keeps its counts in the database", async () => {
    const [emailKey] = passwordLimitKeys(uniqueEmail(), "198.51.100.2");
    await recordFailure(emailKey);
    await recordFailure(emailKey);
    expect((await db.rateLimit.findUnique({ where: { key: emailKey.key } }))?.count).toBe(2);
    await clearFailures(emailKey.key);
    expect(await db.rateLimit.findUnique({ where: { key: emailKey.key } })).toBeNull();
  });

  it("counts concurrent failures without losing any", async () => {
    const [emailKey] = passwordLimitKeys(uniqueEmail(), "198.51.100.3");
    await Promise.all(Array.from({ length: 8 }, () => recordFailure(emailKey)));
    expect((await db.rateLimit.findUnique({ where: { key: emailKey.key } }))?.count).toBe(8);
  });

  it("applies to the password step, even for the right password, and not to other emails", async () => {
    const user = await createUser();
    const ip = "198.51.100.4";
    for (let i = 0; i < 6; i++) {
      const result = await passwordStep({
        email: user.email,
        password: "wrong password 123",
        request: { ip, userAgent: "t" },
      });
      expect(result.ok).toBe(false);
    }
    const blocked = await passwordStep({ email: user.email, password: TEST_PASSWORD, request: { ip, userAgent: "t" } });
    expect(blocked).toMatchObject({ ok: false, error: "rate_limited" });
    const other = await createUser();
    const fine = await passwordStep({ email: other.email, password: TEST_PASSWORD, request: { ip, userAgent: "t" } });
    expect(fine.ok).toBe(true);
  });
});
