import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import {
  ARGON2_MEMORY_KIB,
  ARGON2_PARALLELISM,
  ARGON2_TIME_COST,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from "@/lib/config";

const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum, unusable with isolatedModules)
const options = {
  algorithm: ARGON2ID,
  memoryCost: ARGON2_MEMORY_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

// Unknown users cost the same hash as known ones, so timing does not reveal which
// emails have accounts (docs/security-model.md, "Sign-in").
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("dummy password that matches nothing");
  await verifyPassword(await dummyHash, password);
  return false;
}

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = "too_short" | "too_long" | "common" | "contains_email";

// Common-password check (docs/security-model.md, "Sign-in"): the password itself, or the
// password with the digits and symbols people tack on at either end ("sunshine2024!!"), is
// in a list of 30 000+ leaked passwords; or it is one character repeated; or it contains
// the email's name.
export function checkPasswordPolicy(password: string, context: { email?: string } = {}): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return "too_short";
  if (password.length > PASSWORD_MAX_LENGTH) return "too_long";
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, "");
  const list = commonPasswords();
  if (list.has(lower) || (core.length >= 4 && list.has(core)) || /^(.)\1+$/.test(lower)) return "common";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return "contains_email";
  return null;
}
