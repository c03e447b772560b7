/**
 * Phone numbers with libphonenumber-js: North-American numbers as Outlook recognises them, plus
 * numbers written in international form (+CC …). The type comes from the label before the number.
 */
import { findNumbers } from "libphonenumber-js";
import type { Located, PhoneNumber } from "./types.ts";

const LABELS: [RegExp, string][] = [
  [/\b(?:mobile|mob|cell|cellular|m)\s*[.:#]?\s*$/i, "Mobile"],
  [/\b(?:fax|f)\s*[.:#]?\s*$/i, "Fax"],
  [/\b(?:home|h)\s*[.:#]?\s*$/i, "Home"],
  [/\b(?:work|office|direct|business|tel|phone|ph|t|w|o|p)\s*[.:#]?\s*$/i, "Work"],
];

const AFTER_LABELS: [RegExp, string][] = [
  [/^\s*\(?\s*(?:mobile|mob|cell)\b/i, "Mobile"],
  [/^\s*\(?\s*fax\b/i, "Fax"],
  [/^\s*\(?\s*home\b/i, "Home"],
  [/^\s*\(?\s*(?:work|office|voice|direct|main)\b/i, "Work"],
];

function typeFromLabel(before: string, after: string): string {
  const window = before.slice(-16);
  for (const [re, type] of LABELS) if (re.test(window)) return type;
  for (const [re, type] of AFTER_LABELS) if (re.test(after)) return type;
  return "Unspecified";
}

/** Dotted quads (IP addresses) and bracketed numbers look like phone numbers to libphonenumber. */
function looksLikeIp(text: string, start: number, end: number): boolean {
  const around = text.slice(Math.max(0, start - 1), Math.min(text.length, end + 4));
  return /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/.test(around) || text[start - 1] === "[";
}

export function findPhoneNumbers(text: string): Located<PhoneNumber>[] {
  const out: Located<PhoneNumber>[] = [];
  for (const found of findNumbers(text, { defaultCountry: "US", v2: true })) {
    const original = text.slice(found.startsAt, found.endsAt);
    const nanp = found.number.countryCallingCode === "1";
    if (!nanp && !original.trimStart().startsWith("+")) continue;
    // Ten bare digits with no separators are more often ids than phone numbers.
    if (/^\d{10,}$/.test(original)) continue;
    if (looksLikeIp(text, found.startsAt, found.endsAt)) continue;
    out.push({
      value: {
        phoneString: nanp ? found.number.nationalNumber : found.number.number,
        originalPhoneString: original,
        type: typeFromLabel(text.slice(Math.max(0, found.startsAt - 20), found.startsAt), text.slice(found.endsAt, found.endsAt + 12)),
      },
      start: found.startsAt,
      end: found.endsAt,
    });
  }
  return out;
}
