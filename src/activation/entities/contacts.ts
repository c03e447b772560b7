/**
 * Contacts from signature blocks: after a sign-off ("Regards", "Thanks", "--", …) a short name
 * line, then lines carrying a phone number, email address, URL or postal address. A contact needs a
 * name and at least one way to reach the person.
 */
import type { Contact, Located, PhoneNumber } from "./types.ts";

const SIGN_OFF = /^(?:--\s*|—\s*|(?:best|kind|warm)?\s*regards|best(?: wishes)?|thanks(?: again)?|thank you|many thanks|cheers|sincerely|yours(?: truly| sincerely)?|respectfully|all the best|take care)[,.!]?\s*$/i;
const NAME_LINE = /^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][a-zA-Z'-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'-]+){1,2}(?:,?\s+(?:Jr|Sr|PhD|MD|MBA|II|III)\.?)?$/;
const DECORATION = /^[-_=*~.]{3,}$/;
const BUSINESS = /\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Company|Co|GmbH|AG|S\.A|plc|Group|Partners|Associates|University|Bank|Foundation|Agency|Technologies|Systems|Solutions|Consulting)\b\.?/;
const TITLE = /\b(?:manager|director|engineer|president|officer|ceo|cto|cfo|vp|head|lead|consultant|analyst|specialist|coordinator|assistant|associate|counsel|attorney|founder|owner|partner|developer|designer|architect|administrator|representative|executive)\b/i;

interface Finds {
  phones: Located<PhoneNumber>[];
  emails: Located<string>[];
  urls: Located<string>[];
  addresses: Located<string>[];
}

interface Line {
  text: string;
  start: number;
  end: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    out.push({ text: raw.trim(), start, end: start + raw.length });
    start += raw.length + 1;
  }
  return out;
}

const within = <T>(items: Located<T>[], start: number, end: number) => items.filter((i) => i.start >= start && i.end <= end).map((i) => i.value);

export function findContacts(text: string, finds: Finds): Located<Contact>[] {
  const ls = lines(text);
  const out: Located<Contact>[] = [];
  for (let i = 0; i < ls.length; i++) {
    const signOff = SIGN_OFF.test(ls[i].text);
    const nameIdx = signOff ? ls.findIndex((l, k) => k > i && k <= i + 3 && l.text !== "" && !DECORATION.test(l.text)) : -1;
    if (nameIdx < 0 || !NAME_LINE.test(ls[nameIdx].text)) continue;
    // The block runs until a blank line after some content, a quote, or 8 lines.
    let last = nameIdx;
    for (let k = nameIdx + 1; k < ls.length && k <= nameIdx + 8; k++) {
      const t = ls[k].text;
      if (t === "" || t.startsWith(">") || /^(?:On .+wrote:|From:|-----)/.test(t)) break;
      last = k;
    }
    const start = ls[nameIdx].start;
    const end = ls[last].end;
    const contact: Contact = {
      personName: ls[nameIdx].text,
      businessName: "",
      phoneNumbers: within(finds.phones, start, end),
      emailAddresses: within(finds.emails, start, end),
      urls: within(finds.urls, start, end),
      addresses: within(finds.addresses, start, end),
    };
    for (let k = nameIdx + 1; k <= last; k++) {
      const t = ls[k].text;
      if (BUSINESS.test(t) && t.length <= 60 && !/[@\d]/.test(t)) {
        contact.businessName = t;
        break;
      }
      if (!contact.businessName && TITLE.test(t)) {
        const parts = t.split(/\s*(?:,|\||\bat\b)\s*/);
        if (parts.length > 1 && parts[parts.length - 1].length > 1 && !TITLE.test(parts[parts.length - 1])) contact.businessName = parts[parts.length - 1];
      }
    }
    const reachable = contact.phoneNumbers.length + contact.emailAddresses.length + contact.urls.length + contact.addresses.length;
    if (reachable > 0) out.push({ value: contact, start, end });
    i = last;
  }
  return out;
}
