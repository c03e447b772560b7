/**
 * A calendar item from an .ics file (RFC 5545): the first VEVENT's summary, start, end, location, description,
 * organizer and attendees, for `outpost run --item meeting.ics`. Folded lines are unfolded; TZID times are taken as
 * UTC (the item's zone is not modelled) and DATE values make an all-day event.
 */
import type { NewItem } from "../mailbox/index.ts";

export class IcsError extends Error {}

function unfold(text: string): string[] {
  return text.replace(/\r\n/g, "\n").replace(/\n[ \t]/g, "").split("\n");
}

function unescape(v: string): string {
  return v.replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");
}

function parseDate(value: string, line: number): { date: Date; allDay: boolean } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value.trim());
  if (!m) throw new IcsError(`line ${line}: "${value}" is not an iCalendar date`);
  const [, y, mo, d, h, mi, s] = m;
  return { date: new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0))), allDay: h === undefined };
}

function address(value: string, params: string): { name: string; address: string } {
  const cn = /CN=("?)([^";:]*)\1/i.exec(params)?.[2] ?? "";
  return { name: cn, address: value.replace(/^mailto:/i, "") };
}

export function parseIcs(text: string): NewItem {
  const lines = unfold(text);
  const begin = lines.findIndex((l) => l.trim().toUpperCase() === "BEGIN:VEVENT");
  if (begin < 0) throw new IcsError("no VEVENT in the file");
  const item: NewItem = { itemType: "appointment", itemClass: "IPM.Appointment", subject: "", bodyText: "", requiredAttendees: [], optionalAttendees: [] };
  for (let i = begin + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim().toUpperCase() === "END:VEVENT") {
      if (!item.start) throw new IcsError(`line ${begin + 1}: the VEVENT has no DTSTART`);
      item.end ??= new Date(item.start.getTime() + (item.isAllDay ? 86_400_000 : 3_600_000));
      return item;
    }
    const colon = raw.indexOf(":");
    if (colon < 0) continue;
    const [name, ...paramList] = raw.slice(0, colon).split(";");
    const params = paramList.join(";");
    const value = raw.slice(colon + 1);
    switch (name!.toUpperCase()) {
      case "SUMMARY":
        item.subject = unescape(value).slice(0, 255);
        break;
      case "DESCRIPTION":
        item.bodyText = unescape(value);
        break;
      case "LOCATION":
        item.location = unescape(value).slice(0, 255);
        break;
      case "DTSTART": {
        const d = parseDate(value, i + 1);
        item.start = d.date;
        item.isAllDay = d.allDay;
        break;
      }
      case "DTEND":
        item.end = parseDate(value, i + 1).date;
        break;
      case "ORGANIZER":
        item.from = address(value, params);
        break;
      case "ATTENDEE":
        (/ROLE=OPT-PARTICIPANT/i.test(params) ? item.optionalAttendees! : item.requiredAttendees!).push(address(value, params));
        break;
    }
  }
  throw new IcsError(`line ${begin + 1}: the VEVENT is not closed (END:VEVENT)`);
}
