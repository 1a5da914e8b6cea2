// Property: each sign-in outcome, lockout, refusal and message moves its own metric by one, labelled from a fixed set, never with a person's data.
import { register } from "prom-client";
import { describe, expect, it } from "vitest";
import { PASSWORD_FREE_ATTEMPTS_PER_EMAIL, SECOND_FACTOR_LOCKOUT_THRESHOLD } from "@/lib/config";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { sendSms } from "@/lib/messages/sms";
import { startCleanup } from "@/lib/platform/cleanup";
import { db } from "@/lib/platform/db";
import { createSession } from "@/lib/sessions/sessions";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { verifySecondFactor } from "@/lib/sign-in/second-step";
import { totp } from "../../e2e/totp";
import { createUser, createUserWithTotp, newBrowser, TEST_PASSWORD } from "../factories";
import { metricDifference, metricValue } from "../metrics";
import { fromNewIp, wrongCode } from "../sign-in/helpers";

// README "Metrics": each sign-in outcome, lockout, rate-limit refusal and message moves
// its own series by one, with labels from a fixed handful. The registry is this test
// process's own, so the differences are this file's alone.

const signIns = (outcome: string, method: string) => ({ outcome, method });

describe("sign-in metrics", () => {
  it("count a wrong password, wrong codes by method, the lockout and an attempt it refuses", async () => {
    const now = new Date();
    const { user, secret } = await createUserWithTotp({ at: new Date(now.getTime() - 120_000) });
    const request = fromNewIp();
    const name = "strongsign_sign_ins_total";

    expect(
      await metricDifference(name, signIns("password_failed", "password"), () =>
        passwordStep({ email: user.email, password: "not it", request }),
      ),
    ).toBe(1);

    const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
    if (!step.ok) throw new Error(step.error);
    const wrong = () =>
      verifySecondFactor({ challengeToken: step.challengeToken, code: wrongCode(secret, now), kind: "code", request });
    expect(await metricDifference(name, signIns("second_step_failed", "totp"), wrong)).toBe(1);
    expect(
      await metricDifference(name, signIns("second_step_failed", "recovery"), () =>
        verifySecondFactor({ challengeToken: step.challengeToken, code: "aaaa-bbbb", kind: "recovery", request }),
      ),
    ).toBe(1);

    const lockouts = await metricDifference("strongsign_second_step_lockouts_total", {}, async () => {
      for (let i = 2; i < SECOND_FACTOR_LOCKOUT_THRESHOLD; i++) await wrong();
    });
    expect(lockouts).toBe(1);
    expect(await metricDifference(name, signIns("locked", "totp"), wrong)).toBe(1);
    expect(await metricDifference(name, signIns("second_step_failed", "totp"), wrong)).toBe(0);
  });

  it("count a sign-in without a second step, and one with a code, as succeeded", async () => {
    const plain = await createUser();
    const request = fromNewIp();
    const name = "strongsign_sign_ins_total";
    const signInWithout = async () => {
      const step = await passwordStep({ email: plain.email, password: TEST_PASSWORD, request });
      if (!step.ok) throw new Error(step.error);
      expect(await completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser })).not.toBeNull();
    };
    expect(await metricDifference(name, signIns("succeeded", "none"), signInWithout)).toBe(1);

    const { user, secret } = await createUserWithTotp({ at: new Date(Date.now() - 120_000) });
    const signInWithCode = async () => {
      const step = await passwordStep({ email: user.email, password: TEST_PASSWORD, request });
      if (!step.ok) throw new Error(step.error);
      const code = totp(secret);
      expect(await verifySecondFactor({ challengeToken: step.challengeToken, code, kind: "code", request })).toEqual({
        ok: true,
      });
      expect(await completeSignIn({ challengeToken: step.challengeToken, request, client: newBrowser })).not.toBeNull();
    };
    expect(await metricDifference(name, signIns("succeeded", "totp"), signInWithCode)).toBe(1);
  });

  it("count a password attempt refused by the rate limit", async () => {
    const user = await createUser();
    const request = fromNewIp();
    for (let i = 0; i <= PASSWORD_FREE_ATTEMPTS_PER_EMAIL; i++)
      await passwordStep({ email: user.email, password: "not it", request });
    const refused = await metricDifference("strongsign_password_rate_limited_total", {}, async () => {
      expect(await passwordStep({ email: user.email, password: "not it", request })).toMatchObject({
        error: "rate_limited",
      });
    });
    expect(refused).toBe(1);
  });

  it("label nothing with an email, an address or an id", async () => {
    const text = await register.metrics();
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((match) => match[1]);
    expect(labelValues.length).toBeGreaterThan(0);
    expect(labelValues.filter((label) => /@|\d+\.\d+\.\d+\.\d+|:.*:/.test(label))).toEqual([]);
    expect(labelValues.filter((label) => /^c[a-z0-9]{20,}$/.test(label))).toEqual([]);
  });
});

describe("other metrics", () => {
  it("count texts and emails by channel and result", async () => {
    const user = await createUser();
    const sms = await metricDifference("strongsign_messages_total", { channel: "sms", result: "sent" }, () =>
      sendSms({ to: "+447700900123", text: "Your code is 123456", userId: user.id }),
    );
    const email = await metricDifference("strongsign_messages_total", { channel: "email", result: "sent" }, () =>
      sendEmail({ to: user.email, userId: user.id, ...emails.recoveryCodeUsed({ name: "T", ip: "x", remaining: 9 }) }),
    );
    expect([sms, email]).toEqual([1, 1]);
  });

  it("time every database statement by kind", async () => {
    const selects = await metricDifference("strongsign_db_query_duration_seconds", { statement: "select" }, () =>
      db.user.count(),
    );
    expect(selects).toBeGreaterThanOrEqual(1);
  });

  it("set the live sessions and the time of the last cleanup run", async () => {
    const user = await createUser();
    await createSession(db, { userId: user.id, request: fromNewIp() });
    const before = Date.now() / 1000;
    const stopCleanup = startCleanup();
    await stopCleanup();
    await expect
      .poll(() => metricValue("strongsign_cleanup_last_run_timestamp_seconds"), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(Math.floor(before));
    // Other test files add and end sessions in the same database meanwhile: only ours is sure.
    expect(await metricValue("strongsign_active_sessions")).toBeGreaterThanOrEqual(1);
  });
});
