-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN "passwordGivenAt" DATETIME;

