-- AlterTable
ALTER TABLE "User" ADD COLUMN     "secondFactorLockEmailedAt" TIMESTAMP(3);

