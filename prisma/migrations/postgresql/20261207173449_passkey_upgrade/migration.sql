-- AlterTable
ALTER TABLE "User" ADD COLUMN     "passkeyUpgradeSnoozedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "passkeyUpgradeUntil" TIMESTAMP(3);

