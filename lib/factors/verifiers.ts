import { passkeyVerifier } from "@/lib/passkeys/assertion";
import type { TwoFactorMethod } from "./kinds";
import { recoveryCodeVerifier } from "./recovery-codes";
import { deliveredCodeVerifier } from "./sms-email/sign-in-codes";
import { totpVerifier } from "./totp";
import type { Verifier } from "./verifier";

// Which verifier checks each kind of answer in the second step (lib/factors/verifier.ts
// says what a verifier does; each lives in its factor's own file).
// Adding a fifth factor means adding one file and one row in this table.
export const verifiers: Record<TwoFactorMethod | "recovery", Verifier> = {
  passkey: passkeyVerifier,
  totp: totpVerifier,
  sms: deliveredCodeVerifier,
  email: deliveredCodeVerifier,
  recovery: recoveryCodeVerifier,
};
