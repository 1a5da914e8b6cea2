-- AlterTable
ALTER TABLE "WebAuthnCredential" ADD COLUMN     "aaguid" TEXT;

