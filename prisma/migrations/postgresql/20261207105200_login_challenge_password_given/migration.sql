-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN     "passwordGivenAt" TIMESTAMP(3);

