-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN "rememberBrowser" TEXT;

-- CreateTable
CREATE TABLE "RememberedBrowser" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "deviceHash" TEXT NOT NULL,
    "viaPasskey" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "RememberedBrowser_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "allowedMethods" JSONB NOT NULL DEFAULT ["totp","sms","email","passkey"],
    "requirePasskey" TEXT NOT NULL DEFAULT 'off',
    "requirePasskeySince" DATETIME,
    "smsPerHour" INTEGER NOT NULL DEFAULT 100,
    "smsCountries" JSONB NOT NULL DEFAULT [],
    "smsPerCountryPerHour" INTEGER NOT NULL DEFAULT 100,
    "rememberBrowserAllowed" BOOLEAN NOT NULL DEFAULT false,
    "rememberBrowserDays" INTEGER NOT NULL DEFAULT 30
);
INSERT INTO "new_Account" ("allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "requirePasskey", "requirePasskeySince", "sessionDurationDays", "smsCountries", "smsPerCountryPerHour", "smsPerHour") SELECT "allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "requirePasskey", "requirePasskeySince", "sessionDurationDays", "smsCountries", "smsPerCountryPerHour", "smsPerHour" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RememberedBrowser_tokenHash_key" ON "RememberedBrowser"("tokenHash");

-- CreateIndex
CREATE INDEX "RememberedBrowser_userId_idx" ON "RememberedBrowser"("userId");

-- CreateIndex
CREATE INDEX "RememberedBrowser_expiresAt_idx" ON "RememberedBrowser"("expiresAt");

