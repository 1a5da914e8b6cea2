import { allowedMethods } from "@/lib/account/policy";
import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { addSecondFactor } from "@/lib/factors/enrolled";
import { sendEmail } from "@/lib/messages/email";
import * as emails from "@/lib/messages/emails";
import { db } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { finishPasskeyRegistration, type PasskeyRegistrationResult } from "./registration";

// A passkey joining the user's methods in My Profile (docs/security-model.md, "Several
// methods at once"): lib/passkeys/registration.ts checks the browser's answer; here it
// becomes a second factor like any other (addSecondFactor: the other sessions end, and
// recovery codes come with a first method or when none are left), with an audit event and
// an email. The passkey upgrade's (lib/passkeys/upgrade.ts, `conditional`) takes the same path.
export async function addPasskey(options: {
  userId: string;
  sessionId: string;
  name: string;
  response: unknown;
  request: RequestInfo;
  conditional?: boolean;
  now?: Date;
}): Promise<
  | { ok: true; passkeyName: string; recoveryCodes: string[] | null }
  | Extract<PasskeyRegistrationResult, { ok: false }>
  | { ok: false; error: typeof ErrorCode.methodNotAllowed }
> {
  const { userId, request } = options;
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { account: true } });
  if (!allowedMethods(user.account).includes("passkey")) return { ok: false, error: ErrorCode.methodNotAllowed };
  const outcome = await db.$transaction(async (tx) => {
    const registered = await finishPasskeyRegistration({ ...options, now, tx });
    if (!registered.ok) return registered;
    const { sessionsEnded, recoveryCodes } = await addSecondFactor(tx, {
      userId,
      method: "passkey",
      keepSessionId: options.sessionId,
      now,
    });
    await audit(tx, {
      accountId: user.accountId,
      type: AuditType.passkeyAdded,
      actorId: userId,
      targetId: userId,
      request,
      data: { passkeyId: registered.passkey.id, name: registered.passkey.name, sessionsEnded },
    });
    return { ok: true as const, passkeyName: registered.passkey.name, recoveryCodes };
  });
  if (!outcome.ok) return outcome;
  await sendEmail({
    to: user.email,
    userId,
    ...emails.passkeyAdded({ name: user.name, passkeyName: outcome.passkeyName, ip: request.ip }),
  });
  return outcome;
}
