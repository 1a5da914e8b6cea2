import { ErrorCode } from "@/lib/errors";
import { db } from "@/lib/platform/db";
import { passwordLimitKeys, recordFailure, retryAfterMs } from "@/lib/platform/rate-limit";
import type { RequestInfo } from "@/lib/platform/request-info";
import { verifyPassword } from "@/lib/sign-in/password";
import { markSudo } from "./sessions";

// "Sudo mode" (docs/security-model.md, "Sessions and sudo mode"): giving the password again
// unlocks sensitive actions for 15 minutes in this session. Wrong passwords count towards
// the same per-email and per-IP limits as the sign-in form, so a stolen session cannot be
// used to guess the password.
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
