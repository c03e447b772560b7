/**
 * Postal addresses in free text. No library locates addresses (parse-address & co. only parse a
 * given one), so this finds an anchor that is hard to fake — "City, ST 12345" for the US, a full
 * postcode for the UK — and then looks back a bounded distance for the street line. Every pattern is
 * bounded, and look-backs read at most 160 characters, so the cost is linear in the text.
 */
import type { Located } from "./types.ts";

const US_STATES =
  "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|" +
  "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";

const US_SUFFIX =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Terrace|Ter|Square|Sq|Trail|Trl|Plaza|Plz|Center|Ctr|Loop|Pike|Alley|Broadway";
const UK_SUFFIX =
  "Street|St|Road|Rd|Lane|Avenue|Ave|Close|Crescent|Drive|Gardens|Grove|Hill|Place|Row|Square|Terrace|Way|Walk|Mews|Court|Park|Green|Parade|Gate|Wharf|Yard|Embankment|Broadway";

const WORD = "[A-Za-z0-9][A-Za-z0-9.'-]*";
const UNIT = "(?:,?[ \\t]*(?:Suite|Ste|Apt|Unit|Floor|Fl|Room|Rm|Bldg|Building|#)\\.?[ \\t]*#?[A-Za-z0-9-]{1,8})?";

const US_ANCHOR = new RegExp(`\\b([A-Z][A-Za-z.'-]*(?:[ \\t]+[A-Z][A-Za-z.'-]*){0,3}),?[ \\t]+(?:${US_STATES}),?[ \\t]+\\d{5}(?:-\\d{4})?\\b`, "g");
const US_STREET = new RegExp(
  `(?:\\b(?:\\d{1,6}[A-Za-z]?|One|Two|Three)[ \\t]+(?:${WORD}[ \\t]+){0,5}?(?:${US_SUFFIX})\\b\\.?(?:[ \\t]+(?:N|S|E|W|NE|NW|SE|SW)\\b\\.?)?|\\bP\\.?[ \\t]?O\\.?[ \\t]+Box[ \\t]+\\d{1,6})${UNIT}`,
  "g",
);

const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}\b/g;
const UK_STREET = new RegExp(`\\b\\d{1,5}[A-Za-z]?[ \\t]+(?:${WORD}[ \\t]+){0,4}?(?:${UK_SUFFIX})\\b`, "g");
/** Between a UK street line and its postcode: up to three locality/town/county segments. */
const UK_BETWEEN = /^(?:[ \t]*[,\n\r][ \t\r\n]*|[ \t]+)?(?:[A-Z][A-Za-z'.-]*(?:[ \t]+[A-Za-z][A-Za-z'.-]*){0,3}[ \t]*[,\n\r]?[ \t\r\n]*){0,3}$/;
const US_BETWEEN = /^[\s,]*$/;

const LOOKBACK = 160;

function lastStreet(text: string, anchorStart: number, street: RegExp, between: RegExp): number | undefined {
  const from = Math.max(0, anchorStart - LOOKBACK);
  const window = text.slice(from, anchorStart);
  street.lastIndex = 0;
  let best: number | undefined;
  let m: RegExpExecArray | null;
  while ((m = street.exec(window)) !== null) {
    if (between.test(window.slice(m.index + m[0].length))) {
      best = from + m.index;
      break; // the earliest street line that still connects gives the fullest address
    }
    street.lastIndex = m.index + 1;
  }
  return best;
}

function tidy(address: string): string {
  return address.replace(/[ \t]*\r?\n[ \t]*/g, ", ").replace(/,(\s*,)+/g, ",").replace(/[ \t]{2,}/g, " ").trim();
}

export function findAddresses(text: string): Located<string>[] {
  const out: Located<string>[] = [];
  US_ANCHOR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = US_ANCHOR.exec(text)) !== null) {
    const start = lastStreet(text, m.index, US_STREET, US_BETWEEN);
    const end = m.index + m[0].length;
    if (start !== undefined) out.push({ value: tidy(text.slice(start, end)), start, end });
  }
  UK_POSTCODE.lastIndex = 0;
  while ((m = UK_POSTCODE.exec(text)) !== null) {
    const start = lastStreet(text, m.index, UK_STREET, UK_BETWEEN);
    const end = m.index + m[0].length;
    if (start !== undefined && !out.some((o) => o.start < end && start < o.end)) out.push({ value: tidy(text.slice(start, end)), start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}
