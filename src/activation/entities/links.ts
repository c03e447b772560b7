/** URLs and SMTP addresses with linkifyjs; email candidates are confirmed with email-addresses (RFC 5322). */
import emailAddresses from "email-addresses";
import * as linkify from "linkifyjs";
import type { Located } from "./types.ts";

export interface LinkFinds {
  urls: Located<string>[];
  emails: Located<string>[];
}

export function findLinks(text: string): LinkFinds {
  const urls: Located<string>[] = [];
  const emails: Located<string>[] = [];
  for (const f of linkify.find(text)) {
    if (f.type === "url") {
      // Outlook wants an explicit web address: a scheme or "www.", not any dotted host name.
      if (!/^(?:https?|ftp):\/\//i.test(f.value) && !/^www\./i.test(f.value)) continue;
      const value = f.value.split(/[<>"]/)[0].replace(/[.,;:!?)\]]+$/, "");
      urls.push({ value, start: f.start, end: f.start + value.length });
    } else if (f.type === "email") {
      const parsed = emailAddresses.parseOneAddress(f.value);
      if (parsed && parsed.type === "mailbox") emails.push({ value: f.value, start: f.start, end: f.end });
    }
  }
  return { urls, emails };
}
