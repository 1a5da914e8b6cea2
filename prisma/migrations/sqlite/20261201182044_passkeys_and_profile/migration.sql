-- Passkeys join the methods every account allows; admins may take them out again.
-- AlterTable
ALTER TABLE "User" ADD COLUMN "emailCodesEnabledAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "joinedAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "smsEnabledAt" DATETIME;

-- Each method now has its own date: the one method a user had keeps its date; whoever
-- has a password has joined.
UPDATE "User" SET "smsEnabledAt" = "twoFactorEnabledAt" WHERE "twoFactorMethod" = 'sms';
UPDATE "User" SET "emailCodesEnabledAt" = "twoFactorEnabledAt" WHERE "twoFactorMethod" = 'email';
UPDATE "User" SET "joinedAt" = "createdAt" WHERE "passwordHash" IS NOT NULL;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN "revokedAt" DATETIME;

-- CreateTable
CREATE TABLE "WebAuthnCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "signCount" INTEGER NOT NULL DEFAULT 0,
    "transports" JSONB NOT NULL DEFAULT '[]',
    "deviceType" TEXT NOT NULL,
    "backedUp" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "WebAuthnCredential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebAuthnChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "challengeHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "userId" TEXT,
    "sessionId" TEXT,
    "loginChallengeId" TEXT,
    "browserTokenHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "EmailChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "newEmail" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "EmailChange_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sessionDurationDays" INTEGER NOT NULL DEFAULT 90,
    "lockoutThreshold" INTEGER NOT NULL DEFAULT 10,
    "enforceTwoFactor" BOOLEAN NOT NULL DEFAULT false,
    "enforceGraceDays" INTEGER NOT NULL DEFAULT 0,
    "enforceSince" DATETIME,
    "allowedMethods" JSONB NOT NULL DEFAULT '["totp","sms","email","passkey"]',
    "requirePasskey" TEXT NOT NULL DEFAULT 'off',
    "requirePasskeySince" DATETIME,
    "smsPerHour" INTEGER NOT NULL DEFAULT 100
);
INSERT INTO "new_Account" ("allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays", "smsPerHour") SELECT json_insert("allowedMethods", '$[#]', 'passkey'), "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays", "smsPerHour" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "WebAuthnCredential_credentialId_key" ON "WebAuthnCredential"("credentialId");

-- CreateIndex
CREATE INDEX "WebAuthnCredential_userId_idx" ON "WebAuthnCredential"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "WebAuthnChallenge_challengeHash_key" ON "WebAuthnChallenge"("challengeHash");

-- CreateIndex
CREATE INDEX "WebAuthnChallenge_expiresAt_idx" ON "WebAuthnChallenge"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailChange_tokenHash_key" ON "EmailChange"("tokenHash");

-- CreateIndex
CREATE INDEX "EmailChange_userId_idx" ON "EmailChange"("userId");

-- CreateIndex
CREATE INDEX "Invitation_userId_idx" ON "Invitation"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_targetId_createdAt_idx" ON "AuditEvent"("targetId", "createdAt");

