import { ErrorCode } from "@/lib/errors";
import { isDeliveredMethod, methodsOf, type TwoFactorMethod } from "@/lib/factors/kinds";
import { sendChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { db } from "@/lib/platform/db";
import { findLoginChallenge } from "./login-challenge";

// "Try another way" (docs/security-model.md, "Several methods at once"): the sign-in goes
// on with another of the user's methods. The server decides which methods the user has. A
// code by SMS or email is sent at once by its own channel, and the previous code dies;
// switching back and forth is bounded by the challenge's count of sends and the hourly caps
// (lib/factors/sms-email/sign-in-codes).
export async function switchSecondFactor(options: {
  challengeToken: string;
  method: TwoFactorMethod;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: typeof ErrorCode.challengeExpired | typeof ErrorCode.notEnabled }> {
  const now = options.now ?? new Date();
  const challenge = await findLoginChallenge(options.challengeToken, now);
  if (!challenge?.pendingFactor || challenge.factorVerifiedAt) return { ok: false, error: ErrorCode.challengeExpired };
  if (!methodsOf(challenge.user).includes(options.method)) return { ok: false, error: ErrorCode.notEnabled };
  const { count } = await db.loginChallenge.updateMany({
    where: { id: challenge.id, consumedAt: null, factorVerifiedAt: null },
    data: { pendingFactor: options.method, codeHash: null, codeSentAt: null, codeChannel: null, codeFallback: null },
  });
  if (count !== 1) return { ok: false, error: ErrorCode.challengeExpired };
  if (isDeliveredMethod(options.method)) await sendChallengeCode({ challengeId: challenge.id, now });
  return { ok: true };
}
