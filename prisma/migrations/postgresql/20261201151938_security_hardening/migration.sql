-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "smsPerHour" INTEGER NOT NULL DEFAULT 100;

-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN     "codeChannel" TEXT,
ADD COLUMN     "codeFallback" TEXT;

-- CreateTable
CREATE TABLE "BrowserTrustLink" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "BrowserTrustLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BrowserTrustLink_tokenHash_key" ON "BrowserTrustLink"("tokenHash");

-- CreateIndex
CREATE INDEX "BrowserTrustLink_userId_idx" ON "BrowserTrustLink"("userId");

-- AddForeignKey
ALTER TABLE "BrowserTrustLink" ADD CONSTRAINT "BrowserTrustLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Outbox bodies were kept in plain text; they are encrypted from now on. The old ones
-- may hold live links (invitations, password resets): keep only the delivery record.
UPDATE "OutboundMessage" SET "body" = '';
