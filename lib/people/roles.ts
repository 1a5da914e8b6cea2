import { type AuditInput, audit } from "@/lib/audit/record";
import { ErrorCode } from "@/lib/errors";
import type { Account, Role, User } from "@/lib/generated/sqlite/client";
import { db, type Tx } from "@/lib/platform/db";

// Who may administer an account (docs/security-model.md, "Administration and tenancy").
// Every admin function checks for itself that the actor is an enabled OWNER or ADMIN and
// that the target is in the actor's account, so a page or action that forgets its guard
// still cannot reach another account. Expected failures are returned as { ok: false, error
// } with one of these codes.
export type AdminError =
  | typeof ErrorCode.forbidden // the actor is not an enabled admin of their account
  | typeof ErrorCode.notFound // no such user in the actor's account (other accounts look the same)
  | typeof ErrorCode.invalidInput
  | typeof ErrorCode.owner // the owner cannot be demoted or disabled, nor weakened by an admin
  | typeof ErrorCode.self // an admin cannot disable themselves
  | typeof ErrorCode.lastAdmin
  | typeof ErrorCode.methodNotAllowed
  | typeof ErrorCode.passkeyNotAllowed // a passkey required but not among the allowed methods
  | typeof ErrorCode.invalidPhone
  | typeof ErrorCode.smsCountryNotAllowed
  | typeof ErrorCode.phoneTypeNotAllowed
  | typeof ErrorCode.phoneRequired
  | typeof ErrorCode.emailTaken
  | typeof ErrorCode.invalidOrExpired // an invitation link that is unknown, used, or past its expiry
  | typeof ErrorCode.alreadyJoined // an invitation for someone who has already set their password
  | typeof ErrorCode.noInvitation // nothing pending to revoke
  | typeof ErrorCode.sameEmail
  | typeof ErrorCode.weakPassword;

export type Actor = Pick<User, "id" | "accountId">;
export type Admin = User & { account: Account };

export const fail = <E extends AdminError>(error: E) => ({ ok: false as const, error });

export function isAdminRole(role: Role) {
  return role === "OWNER" || role === "ADMIN";
}

// The actor is read again rather than trusted: a row loaded earlier in the request may
// be stale (demoted or disabled since) or, by a bug, from another account.
export async function loadAdmin(tx: Tx, actor: Actor): Promise<Admin | null> {
  const row = await tx.user.findUnique({ where: { id: actor.id }, include: { account: true } });
  if (!row || row.accountId !== actor.accountId || row.disabledAt || !isAdminRole(row.role)) return null;
  return row;
}

// Runs an admin change in one transaction with its audit event. The first statement takes
// the account row's write lock, so admin changes to one account run one after another:
// rules that read other rows before writing (the last-admin rule, "turning enforcement on")
// cannot be passed twice by two concurrent requests. The audit event of an admin's change,
// in the change's transaction (docs/security-model.md, "Audit and notices").
export function auditAdmin(tx: Tx, admin: Admin, event: Omit<AuditInput, "accountId" | "actorId">) {
  return audit(tx, { accountId: admin.accountId, actorId: admin.id, ...event });
}

export function asAdmin<T>(actor: Actor, work: (tx: Tx, admin: Admin) => Promise<T>) {
  return db.$transaction(async (tx) => {
    await tx.account.updateMany({ where: { id: actor.accountId }, data: { lockoutThreshold: { increment: 0 } } });
    const admin = await loadAdmin(tx, actor);
    if (!admin) return fail(ErrorCode.forbidden);
    return work(tx, admin);
  });
}
