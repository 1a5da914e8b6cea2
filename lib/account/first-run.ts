import { AuditType, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import { db } from "@/lib/platform/db";
import type { RequestInfo } from "@/lib/platform/request-info";
import { createLoginChallenge } from "@/lib/sign-in/login-challenge";
import { checkPasswordPolicy, hashPassword } from "@/lib/sign-in/password";

export async function isSetupOpen() {
  return (await db.account.count()) === 0;
}

export type SetupInput = { accountName: string; name: string; email: string; password: string; request: RequestInfo };

// First run (docs/security-model.md, "Administration and tenancy"): creates the first
// account and its owner, once. The check and the insert share a serialised transaction so
// two racing setups cannot both succeed. The owner has just given the password, so a login
// challenge with nothing pending comes back with the account, for the caller to sign them
// in with.
export async function createFirstAccount(input: SetupInput) {
  const problem = checkPasswordPolicy(input.password, { email: input.email });
  if (problem) return { ok: false as const, error: ErrorCode.weakPassword, problem };
  const passwordHash = await hashPassword(input.password);
  try {
    const owner = await db.$transaction(
      async (tx) => {
        if ((await tx.account.count()) > 0) return null;
        const account = await tx.account.create({ data: { name: input.accountName } });
        const user = await tx.user.create({
          data: {
            accountId: account.id,
            email: input.email,
            name: input.name,
            role: "OWNER",
            passwordHash,
            passwordChangedAt: new Date(),
            joinedAt: new Date(),
          },
        });
        await audit(tx, {
          accountId: account.id,
          type: AuditType.accountCreated,
          actorId: user.id,
          targetId: user.id,
          request: input.request,
        });
        const { token } = await createLoginChallenge(tx, {
          userId: user.id,
          pendingFactor: null,
          request: input.request,
          passwordGiven: true,
        });
        return { userId: user.id, challengeToken: token };
      },
      { isolationLevel: "Serializable" },
    );
    return owner ? { ok: true as const, ...owner } : { ok: false as const, error: ErrorCode.setupClosed };
  } catch {
    // A concurrent setup won the race (serialisation failure or unique violation).
    return { ok: false as const, error: ErrorCode.setupClosed };
  }
}
