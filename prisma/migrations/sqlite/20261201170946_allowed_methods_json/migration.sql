-- allowedMethods: the comma-separated string becomes a JSON array, entry for entry
-- ("totp,sms" -> ["totp","sms"]); the app ignores any entry it does not know.
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
    "allowedMethods" JSONB NOT NULL DEFAULT '["totp","sms","email"]',
    "smsPerHour" INTEGER NOT NULL DEFAULT 100
);
INSERT INTO "new_Account" ("allowedMethods", "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays", "smsPerHour") SELECT '["' || replace("allowedMethods", ',', '","') || '"]', "createdAt", "enforceGraceDays", "enforceSince", "enforceTwoFactor", "id", "lockoutThreshold", "name", "sessionDurationDays", "smsPerHour" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

