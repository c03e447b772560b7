/**
 * Nesting depth, measured before any parser or tree walk sees the text. Stops stack exhaustion: every later stage
 * (DOM helpers, JSON walks, schema validation, conversion) recurses over the tree, and 10,000 nested elements
 * overflowed the stack and lost the rest of a `manifest validate` batch. Real manifests nest about 12 levels
 * (XML) or 10 (JSON); the bound leaves ample room. The scan itself is a loop, never recursive.
 */
import { finding, type Finding } from "./findings.ts";

export const MAX_MANIFEST_DEPTH = 128;

/** The first place where nesting goes past `max`, as a finding; undefined when the text stays within it. */
export function depthFinding(text: string, format: "xml" | "json", max = MAX_MANIFEST_DEPTH): Finding | undefined {
  const at = format === "xml" ? xmlTooDeep(text, max) : jsonTooDeep(text, max);
  if (at === undefined) return undefined;
  const { line, column } = position(text, at);
  return finding(
    "error",
    "manifest-too-deep",
    `Elements are nested more than ${max} levels deep here; a manifest needs far fewer, so the file is refused without parsing.`,
    { line, column },
  );
}

function xmlTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf("<", i);
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt + 9);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const gt = tagEnd(text, lt + 1);
    if (next === 0x3f /* ? */ || next === 0x21 /* ! */) {
      i = gt + 1;
      continue;
    }
    if (next === 0x2f /* / */) depth = Math.max(0, depth - 1);
    else if (text.charCodeAt(gt - 1) !== 0x2f) {
      depth += 1;
      if (depth > max) return lt;
    }
    i = gt + 1;
  }
  return undefined;
}

/** The `>` closing a tag, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return j;
  }
  return text.length;
}

function jsonTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
