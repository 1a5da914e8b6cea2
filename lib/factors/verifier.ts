import type { AuditData } from "@/lib/audit/record";
import type { ErrorCode } from "@/lib/errors";
import type { LoginChallenge } from "@/lib/generated/sqlite/client";
import type { Tx } from "@/lib/platform/db";

// How the second step checks each kind of answer. lib/sign-in/second-step.ts does what is
// common to all of them (the lock, counting failures, claiming the challenge, the log);
// a verifier only says whether this answer is right.

// Where the code was meant to come from, so that a refusal names the right place to look.
export type CodeSource = "app" | "sms" | "email" | "recovery" | "passkey";

export type CodeError =
  | typeof ErrorCode.invalidFormat
  | typeof ErrorCode.invalidCode
  | typeof ErrorCode.replayed
  | typeof ErrorCode.passkeyRejected;

// One answer to one challenge: a typed code, or a passkey's answer to the browser's request.
type VerifierAttempt = {
  userId: string;
  // With the user's app secret, encrypted, as it was read with the challenge.
  challenge: Pick<LoginChallenge, "id" | "pendingFactor" | "codeChannel"> & {
    user: { totpCredential: { encryptedSecret: string } | null };
  };
  answer: { code?: string; response?: unknown };
  now: Date;
};

export type Verifier = {
  // Only the codes we send belong to the sign-in: a wrong one counts towards its five.
  delivered: boolean;
  source: (challenge: VerifierAttempt["challenge"]) => CodeSource;
  // Before the challenge is claimed: the answer's shape, and whatever is checked outside
  // the sign-in's transaction. `code` is the answer as the transaction's step needs it;
  // `audit` what the log adds to the success.
  check: (
    attempt: VerifierAttempt,
  ) => Promise<{ ok: true; code: string; audit?: AuditData } | { ok: false; error: CodeError }>;
  // In the transaction that claims the challenge, so that using the code commits with the
  // sign-in step. `remaining`: recovery codes left, when one was used.
  redeem: (
    tx: Tx,
    attempt: VerifierAttempt & { code: string },
  ) => Promise<
    { ok: true; remaining?: number } | { ok: false; error: typeof ErrorCode.invalidCode | typeof ErrorCode.replayed }
  >;
};
