-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "rememberBrowserAllowed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rememberBrowserDays" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN     "rememberBrowser" TEXT;

-- CreateTable
CREATE TABLE "RememberedBrowser" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "deviceHash" TEXT NOT NULL,
    "viaPasskey" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "RememberedBrowser_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RememberedBrowser_tokenHash_key" ON "RememberedBrowser"("tokenHash");

-- CreateIndex
CREATE INDEX "RememberedBrowser_userId_idx" ON "RememberedBrowser"("userId");

-- CreateIndex
CREATE INDEX "RememberedBrowser_expiresAt_idx" ON "RememberedBrowser"("expiresAt");

-- AddForeignKey
ALTER TABLE "RememberedBrowser" ADD CONSTRAINT "RememberedBrowser_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

