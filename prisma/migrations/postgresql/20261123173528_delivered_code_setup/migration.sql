-- CreateTable
CREATE TABLE "DeliveredCodeSetup" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "codeHash" TEXT,
    "codeSentAt" TIMESTAMP(3),
    "codeSendCount" INTEGER NOT NULL DEFAULT 0,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeliveredCodeSetup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeliveredCodeSetup_userId_key" ON "DeliveredCodeSetup"("userId");

-- AddForeignKey
ALTER TABLE "DeliveredCodeSetup" ADD CONSTRAINT "DeliveredCodeSetup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

