/**
 * Task suggestions: sentences that ask the reader to do something ("Please send…", "Could you…",
 * "Don't forget to…"). Assignees are the item's direct recipients, the people being asked.
 */
import type { EmailUser, Located, TaskSuggestion } from "./types.ts";
import type { Segment } from "./segments.ts";

const REQUEST_START =
  /^(?:hi\b[^,]{0,30},\s*|hello\b[^,]{0,30},\s*|[A-Z][a-z]{1,20},\s*)?(?:please|pls|kindly|can you|could you|would you|will you|can u|could u|i need you to|i'd like you to|you need to|you should|make sure|be sure to|don't forget|do not forget|remember to|let me know|send me|reply|call me|get back to me)\b/i;
const REQUEST_INSIDE = /\b(?:could you please|can you please|would you please|please (?:send|review|confirm|sign|call|reply|let me know|forward|update|check|complete|submit|fill|approve|read|provide|share|book|schedule))\b/i;
const NOT_A_TASK = /^(?:please (?:find|see) (?:attached|enclosed|below)|please do not reply|please don't reply|please note)\b|unsubscribe/i;

export function findTaskSuggestions(segments: Segment[], assignees: EmailUser[]): Located<TaskSuggestion>[] {
  const out: Located<TaskSuggestion>[] = [];
  for (const seg of segments) {
    const t = seg.text;
    if (t.length < 8 || t.length > 300 || t.startsWith(">")) continue;
    if (NOT_A_TASK.test(t)) continue;
    if (!REQUEST_START.test(t) && !REQUEST_INSIDE.test(t)) continue;
    out.push({ value: { assignees, taskString: t }, start: seg.start, end: seg.start + t.length });
  }
  return out;
}
