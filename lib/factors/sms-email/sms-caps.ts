import { AuditType, audit } from "@/lib/audit/record";
import { SMS_PER_USER_PER_HOUR } from "@/lib/config";
import type { Account, User } from "@/lib/generated/sqlite/client";
import { phoneCountry } from "@/lib/messages/phone";
import { db } from "@/lib/platform/db";
import { takeHourlyQuota } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";

// The hourly caps on texts, which sign-in codes and setup codes share: each text costs
// money, and SMS pumping is paid per text (lib/factors/sms-email/sign-in-codes.ts).

type SmsQuota = { ok: true } | { ok: false; scope: "user" | "country" | "account"; retryAfterSeconds: number };

// One count of texts per user across sign-ins and setups, one per destination country of
// the account and one per account (both caps set by its admins). Each refusal is audited,
// so an admin can see someone pumping.
export async function takeSmsQuota(options: {
  user: Pick<User, "id" | "accountId">;
  account: Pick<Account, "smsPerHour" | "smsPerCountryPerHour">;
  // The E.164 number the text is for: its country's texts are counted together.
  to: string;
  purpose: "sign_in" | "setup";
  request?: RequestInfo;
  now: Date;
}): Promise<SmsQuota> {
  const { user, account, now } = options;
  const country = phoneCountry(options.to) ?? "unknown";
  const quotas = [
    { scope: "user", key: `sms:user:${user.id}`, limit: SMS_PER_USER_PER_HOUR },
    { scope: "country", key: `sms:account:${user.accountId}:country:${country}`, limit: account.smsPerCountryPerHour },
    { scope: "account", key: `sms:account:${user.accountId}`, limit: account.smsPerHour },
  ] as const;
  // In turn, narrowest first: a text one cap refuses is not counted against the wider ones.
  for (const { scope, key, limit } of quotas) {
    const quota = await takeHourlyQuota({ key, limit, now });
    if (quota.ok) continue;
    await audit(db, {
      accountId: user.accountId,
      type: AuditType.smsLimited,
      targetId: user.id,
      request: options.request,
      data: scope === "country" ? { scope, purpose: options.purpose, country } : { scope, purpose: options.purpose },
    });
    return { ok: false, scope, retryAfterSeconds: quota.retryAfterSeconds };
  }
  return { ok: true };
}
