-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');

-- CreateEnum
CREATE TYPE "TwoFactorMethod" AS ENUM ('totp', 'sms', 'email');

-- The columns change type in place, converting each row, where Prisma's diff would drop
-- and re-add them (losing every role, method and audit detail). A default cannot be cast
-- along with the column, so the role's is dropped and set again.
-- AlterTable
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT,
ALTER COLUMN "role" TYPE "Role" USING "role"::"Role",
ALTER COLUMN "role" SET DEFAULT 'MEMBER',
ALTER COLUMN "twoFactorMethod" TYPE "TwoFactorMethod" USING "twoFactorMethod"::"TwoFactorMethod";

-- AlterTable
ALTER TABLE "LoginChallenge" ALTER COLUMN "pendingFactor" TYPE "TwoFactorMethod" USING "pendingFactor"::"TwoFactorMethod";

-- AlterTable
ALTER TABLE "DeliveredCodeSetup" ALTER COLUMN "method" TYPE "TwoFactorMethod" USING "method"::"TwoFactorMethod";

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "data" TYPE JSONB USING "data"::jsonb;
