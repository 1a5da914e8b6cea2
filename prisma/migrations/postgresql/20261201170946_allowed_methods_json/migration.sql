-- allowedMethods: the comma-separated string becomes a JSON array, converted in place
-- ("totp,sms" -> ["totp","sms"]); Prisma's generated drop-and-add would lose the values.
ALTER TABLE "Account" ALTER COLUMN "allowedMethods" DROP DEFAULT;
ALTER TABLE "Account" ALTER COLUMN "allowedMethods" TYPE JSONB USING to_jsonb(string_to_array("allowedMethods", ','));
ALTER TABLE "Account" ALTER COLUMN "allowedMethods" SET DEFAULT '["totp","sms","email"]';
