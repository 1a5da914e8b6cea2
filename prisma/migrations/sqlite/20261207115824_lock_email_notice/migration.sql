-- AlterTable
ALTER TABLE "User" ADD COLUMN "secondFactorLockEmailedAt" DATETIME;

