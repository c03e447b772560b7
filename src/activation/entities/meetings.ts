/**
 * Meeting suggestions: a sentence that proposes getting together (a meeting word) and names a
 * date or time (chrono-node, relative to when the item was sent). Attendees are the people on the
 * item; the location is an address in the sentence or an "at/in <Place>" phrase.
 */
import * as chrono from "chrono-node";
import type { EmailUser, Located, MeetingSuggestion } from "./types.ts";
import type { Segment } from "./segments.ts";

const MEETING_WORDS =
  /\b(meet(?:ing)?|get together|catch up|sync|call|conference call|lunch|dinner|breakfast|coffee|drinks|appointment|interview|review|demo|standup|stand-up|1:1|one-on-one|workshop|webinar|session|discussion|chat|talk|visit|presentation)\b/i;
const PROPOSAL =
  /\b(let'?s|let us|shall we|can we|could we|would you|are you (?:free|available)|how about|what about|can you|could you|come in|want to|like to|invite|invitation|scheduled?|set up|book|join|see you|meet)\b/i;
const LOCATION =
  /\b(?:at|in)\s+((?:the\s+)?[A-Z][\w'&-]*(?:\s+(?:[A-Z][\w'&-]*|\d+[A-Za-z]?\b|of|de|la)){0,4})/g;
const NOT_A_PLACE = /^(?:the\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Noon|Midnight|\d+(?:\s*(?:am|pm))?)\b/i;

const DEFAULT_MINUTES = 30;

function locationIn(sentence: string, addresses: string[]): string {
  const address = addresses.find((a) => sentence.includes(a));
  if (address) return address;
  LOCATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LOCATION.exec(sentence)) !== null) {
    if (!NOT_A_PLACE.test(m[1])) return m[1].trim();
  }
  return "";
}

export function findMeetingSuggestions(
  segments: Segment[],
  reference: Date,
  attendees: EmailUser[],
  addresses: string[],
): Located<MeetingSuggestion>[] {
  const out: Located<MeetingSuggestion>[] = [];
  for (const seg of segments) {
    if (seg.text.length > 400) continue;
    const word = MEETING_WORDS.exec(seg.text);
    if (!word || !PROPOSAL.test(seg.text)) continue;
    const when = chrono.parse(seg.text, reference, { forwardDate: true })[0];
    if (!when) continue;
    const start = when.start.date();
    const end = when.end?.date() ?? new Date(start.getTime() + DEFAULT_MINUTES * 60_000);
    out.push({
      value: {
        attendees,
        end: end.toISOString(),
        location: locationIn(seg.text, addresses),
        meetingString: seg.text,
        start: start.toISOString(),
        subject: word[1].toLowerCase(),
      },
      start: seg.start,
      end: seg.start + seg.text.length,
    });
  }
  return out;
}
