import { db } from "./db";
import { ErrorCode } from "./errors";
import { verifyPassword } from "./password";
import { passwordLimitKeys, recordFailure, retryAfterMs } from "./rate-limit";
import type { RequestInfo } from "./request-info";
import { markSudo } from "./session";

// "Sudo mode" (SPEC §9): giving the password again unlocks sensitive actions for 15
// minutes in this session. Wrong passwords count towards the same per-email and per-IP
// limits as the sign-in form, so a stolen session cannot be used to guess the password.
export async function confirmPassword(options: {
  userId: string;
  sessionId: string;
  password: string;
  request: RequestInfo;
}) {
  const user = await db.user.findUniqueOrThrow({ where: { id: options.userId } });
  const keys = passwordLimitKeys(user.email, options.request.ip);
  const wait = await retryAfterMs(keys);
  if (wait > 0) return { ok: false as const, error: ErrorCode.rateLimited, retryAfterSeconds: Math.ceil(wait / 1000) };
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, options.password))) {
    await Promise.all(keys.map((key) => recordFailure(key)));
    return { ok: false as const, error: ErrorCode.wrongPassword };
  }
  await markSudo(options.sessionId);
  return { ok: true as const };
}
