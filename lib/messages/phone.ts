// Only the "max" metadata knows number types (premium-rate, shared-cost, mobile, ...).
import { parsePhoneNumberFromString as parseWithTypes } from "libphonenumber-js/max";
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from "libphonenumber-js/min";

// Phone numbers for SMS codes (docs/security-model.md, "SMS and email codes"), parsed and
// shown with libphonenumber-js. Only the server loads it: forms get the country list as
// plain data, so browsers download none of its metadata.

const PHONE_INPUT_MAX_LENGTH = 40;

// What people type: digits, spaces, brackets, dots, dashes, and a leading + (or 00).
// Letters are refused, so "ext 5" is not quietly dropped from a number we will text.
const TYPED = /^\+?[\d\s().-]+$/;

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === "string" && isSupportedCountry(value);
}

// A number as E.164 (+447700900123), or null. Without a leading + the number is read as
// a national one of `country`. A number passes when it is in a range the metadata lists
// (isValid), or has a length its country's numbers can have (isPossible) and does not
// start with a 0 (what is left when a trunk prefix could not be read off: "07700 9001" in
// the UK). Ranges open faster than the bundled metadata is updated, and every SMS number
// is proved anyway by a code texted to it before it is used.
export function parsePhone(input: unknown, country?: unknown): string | null {
  if (typeof input !== "string" || input.length > PHONE_INPUT_MAX_LENGTH) return null;
  const text = input.trim();
  if (!TYPED.test(text)) return null;
  const region = isCountryCode(country) ? country : undefined;
  if (!text.startsWith("+") && !region) return null;
  const number = parsePhoneNumberFromString(text, region);
  if (!number) return null;
  const plausible = number.isPossible() && !number.nationalNumber.startsWith("0");
  return number.isValid() || plausible ? number.number : null;
}

function parsed(e164: string) {
  return parsePhoneNumberFromString(e164) ?? null;
}

// Kinds of number that are no one's own phone, or that cost the sender far more than a
// mobile: SMS pumping makes its money on such numbers (README "Where texts may go"). Personal
// numbers are forwarding services (the UK's 070) charged at premium rates. Mobiles, fixed
// lines, VoIP and toll-free numbers are texted; so are numbers whose range the metadata
// does not know yet, which the code texted to them still has to prove.
const REFUSED_TYPES = {
  PREMIUM_RATE: "premium_rate",
  SHARED_COST: "shared_cost",
  PERSONAL_NUMBER: "personal_number",
  UAN: "uan",
  VOICEMAIL: "voicemail",
  PAGER: "pager",
} as const;

export type RefusedPhoneType = (typeof REFUSED_TYPES)[keyof typeof REFUSED_TYPES];

// The kind of an E.164 number when it is one we never text, else null.
export function refusedPhoneType(e164: string): RefusedPhoneType | null {
  const type = parseWithTypes(e164)?.getType();
  return type && type in REFUSED_TYPES ? REFUSED_TYPES[type as keyof typeof REFUSED_TYPES] : null;
}

// "+44 7700 900123", or as stored when it cannot be read.
export function formatPhoneInternational(e164: string) {
  return parsed(e164)?.formatInternational() ?? e164;
}

// The country a stored number belongs to, for the country selector. Numbers of shared
// calling codes (+1, +44) whose range the metadata does not know go to the code's main country.
export function phoneCountry(e164: string | null | undefined): CountryCode | undefined {
  const number = e164 ? parsed(e164) : null;
  return number ? (number.country ?? number.getPossibleCountries()[0]) : undefined;
}

// "07700 900123": a stored number as its owner would type it, with the country chosen.
export function formatPhoneNational(e164: string) {
  return parsed(e164)?.formatNational() ?? e164;
}

// "+44 •••• •••123": enough for the owner to recognise their number, not enough for
// someone looking over their shoulder to learn it.
export function maskPhone(e164: string, visible = 3) {
  const number = parsed(e164);
  if (!number) return "•••";
  const prefix = `+${number.countryCallingCode}`;
  const rest = number.formatInternational().slice(prefix.length);
  let left = visible;
  const masked = [...rest]
    .reverse()
    .map((char) => {
      if (!/\d/.test(char)) return char;
      if (left > 0) {
        left -= 1;
        return char;
      }
      return "•";
    })
    .reverse()
    .join("");
  return `${prefix}${masked}`;
}

// The region of the browser's first language that names one ("en-GB" → GB), to preselect.
export function countryFromLanguages(acceptLanguage: string | null | undefined): CountryCode | undefined {
  for (const part of (acceptLanguage ?? "").split(",").slice(0, 10)) {
    const region = part.split(";")[0].trim().split("-")[1]?.toUpperCase();
    if (isCountryCode(region)) return region;
  }
  return undefined;
}

export type CountryOption = { code: string; name: string; callingCode: string };

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

// "France" for "FR"; a code the platform cannot name stays a code.
export function countryName(code: string) {
  return regionNames.of(code) ?? code;
}

let options: CountryOption[] | undefined;

// Every country with its calling code, by English name.
export function countryOptions(): CountryOption[] {
  options ??= getCountries()
    .map((code) => ({ code, name: countryName(code), callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  return options;
}
