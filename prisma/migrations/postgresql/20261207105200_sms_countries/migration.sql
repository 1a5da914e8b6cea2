-- Where texts may go and the hourly cap per country (README "Where texts may go"). Each
-- existing account's countries are then filled in by
-- prisma/migrations/data/20261207105200_sms_countries.mjs: a number's country needs
-- libphonenumber-js, which SQL cannot call.
ALTER TABLE "Account" ADD COLUMN     "smsCountries" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "smsPerCountryPerHour" INTEGER NOT NULL DEFAULT 100;
