/** Splits text into sentences (and lines) with their offsets: the unit meetings and tasks are found in. */
export interface Segment {
  text: string;
  start: number;
}

const ABBREV = /\b(?:Mr|Mrs|Ms|Dr|St|Ave|Inc|Ltd|Co|Jr|Sr|vs|etc|e\.g|i\.e|a\.m|p\.m|Rd|No)\.$/i;

export function sentences(text: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ text: t, start: start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" && (text[i + 1] === "\n" || text[i + 1] === "\r" || /^\s*$/.test(text.slice(start, i)) || lineEndsSentence(text, start, i))) {
      push(i);
      start = i + 1;
    } else if ((c === "." || c === "!" || c === "?") && (i + 1 === text.length || /\s/.test(text[i + 1]))) {
      if (c === "." && ABBREV.test(text.slice(Math.max(start, i - 5), i + 1))) continue;
      push(i + 1);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

/** A line break ends a sentence when the line is short (a heading, a signature line) or next line starts a list item. */
function lineEndsSentence(text: string, start: number, i: number): boolean {
  const lineStart = text.lastIndexOf("\n", i - 1) + 1;
  const line = text.slice(Math.max(start, lineStart), i).trim();
  if (line.length < 50) return true;
  const next = text.slice(i + 1, i + 3);
  return /^[-*•>\d]/.test(next.trimStart());
}
