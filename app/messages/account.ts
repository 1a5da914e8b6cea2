// Words of the account: its settings, its audit log's filters and its first setup.
import { REMEMBER_BROWSER_MAX_DAYS, SMS_PER_ACCOUNT_PER_HOUR_MAX } from "@/lib/config";

const MAX_TEXTS = SMS_PER_ACCOUNT_PER_HOUR_MAX.toLocaleString("en-GB");

export const accountText = {
  graceDaysRange: "Use 0 to 365 days.",
  methodsMissing: "Allow at least one method.",
  lockoutRange: "Use 3 to 100 attempts.",
  passkeyRequirementMissing: "Choose who must use a passkey.",
  sessionDaysRange: "Use 1 to 365 days.",
  rememberDaysRange: `Use 1 to ${REMEMBER_BROWSER_MAX_DAYS} days.`,
  smsPerHourRange: `Use 0 to ${MAX_TEXTS} texts.`,
  perCountryRange: `Use 1 to ${MAX_TEXTS} texts.`,
  organisationNameMissing: "Enter your organisation's name.",
  auditDateInvalid: "Enter a date like 2026-03-31.",
  auditDatesReversed: "The end date is before the start date.",
};

// Saving a requirement that some users do not meet yet emails each of them.
export function enforcementSavedText(emailed: number) {
  return `Saved. ${emailed} user${emailed === 1 ? " without the required method was" : "s without the required method were"} emailed.`;
}

// Turning "Remember this browser" off, or shortening it, forgets remembered browsers at once.
export function rememberSavedText(forgotten: number) {
  if (forgotten === 0) return "Saved.";
  return `Saved. ${forgotten} remembered browser${forgotten === 1 ? " was" : "s were"} forgotten: they will be asked for a second step again.`;
}
