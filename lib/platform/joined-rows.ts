import { Prisma } from "@/lib/generated/sqlite/client";

// A row and the rows it belongs to, in one statement. Prisma reads each relation of an
// `include` with a statement of its own on SQLite (it joins only on PostgreSQL and MySQL,
// behind a preview flag), and compiles every statement in WebAssembly before it runs:
// about a millisecond of CPU each (README "Benchmark"). The reads that every signed-in
// request and every sign-in step make (lib/sessions/sessions.ts,
// lib/sign-in/login-challenge.ts) are therefore typed raw SQL that both databases run as
// written. Their columns are the generated client's lists, so a column added to the
// schema is read with no change here. Each comes back typed by the driver adapter (dates
// as Date, booleans, JSON parsed) under "alias.column", and `part` takes one row apart.

function columnsOf(alias: string, fields: Record<string, string>) {
  return Prisma.raw(
    Object.keys(fields)
      .map((field) => `${alias}."${field}" AS "${alias}.${field}"`)
      .join(", "),
  );
}

export function part<T>(row: Record<string, unknown>, alias: string): T {
  const prefix = `${alias}.`;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith(prefix)) fields[key.slice(prefix.length)] = value;
  return fields as T;
}

// Which second factors the user "u" has, as lib/factors/kinds.ts's methodFacts reads them:
// select `methodFactColumns`, then take `methodFactsOf(row)`.
export const methodFactColumns =
  Prisma.raw(`(SELECT t."id" FROM "TotpCredential" t WHERE t."userId" = u."id") AS "totpCredentialId",
  (SELECT COUNT(*) FROM "WebAuthnCredential" w WHERE w."userId" = u."id") AS "passkeyCount"`);

export function methodFactsOf(row: Record<string, unknown>) {
  const totpCredentialId = row.totpCredentialId as string | null;
  return {
    totpCredential: totpCredentialId ? { id: totpCredentialId } : null,
    _count: { webAuthnCredentials: Number(row.passkeyCount) },
  };
}

export const { sql } = Prisma;
export const userColumns = columnsOf("u", Prisma.UserScalarFieldEnum);
export const accountColumns = columnsOf("a", Prisma.AccountScalarFieldEnum);
export const sessionColumns = columnsOf("s", Prisma.SessionScalarFieldEnum);
export const challengeColumns = columnsOf("c", Prisma.LoginChallengeScalarFieldEnum);
