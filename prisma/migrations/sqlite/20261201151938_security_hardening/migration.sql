-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN "codeChannel" TEXT;
ALTER TABLE "LoginChallenge" ADD COLUMN "codeFallback" TEXT;

-- CreateTable
CREATE TABLE "BrowserTrustLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "BrowserTrustLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "allowedMethods" TEXT NOT NULL DEFAULT 'totp,sms,email',
    "smsPerHour" INTEGER NOT NULL DEFAULT 100
);
INSERT INTO "new_Account" ("allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays") SELECT "allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "BrowserTrustLink_tokenHash_key" ON "BrowserTrustLink"("tokenHash");

-- CreateIndex
CREATE INDEX "BrowserTrustLink_userId_idx" ON "BrowserTrustLink"("userId");


-- Outbox bodies were kept in plain text; they are encrypted from now on. The old ones
-- may hold live links (invitations, password resets): keep only the delivery record.
UPDATE "OutboundMessage" SET "body" = '';
