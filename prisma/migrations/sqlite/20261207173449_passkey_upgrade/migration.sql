-- AlterTable
ALTER TABLE "User" ADD COLUMN "passkeyUpgradeSnoozedUntil" DATETIME;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "passkeyUpgradeUntil" DATETIME;

