/** Applies a client's body limit to a text: skip it, or cut it at a char or UTF-8 byte boundary. */
import type { BodyLimit } from "./clients.ts";

export interface LimitedText {
  /** The text to evaluate; undefined when the client does not evaluate it at all. */
  text?: string;
  skipped: boolean;
  truncated: boolean;
  /** Size of the whole text in the limit's unit (chars or UTF-8 bytes). */
  size: number;
  limit: number;
  unit: "chars" | "bytes";
}

export function applyBodyLimit(text: string, limit: BodyLimit): LimitedText {
  if (limit.kind === "skip-if-at-least") {
    const skipped = text.length >= limit.chars;
    return { text: skipped ? undefined : text, skipped, truncated: false, size: text.length, limit: limit.chars, unit: "chars" };
  }
  if (limit.kind === "truncate-chars") {
    const truncated = text.length > limit.chars;
    return { text: truncated ? text.slice(0, limit.chars) : text, skipped: false, truncated, size: text.length, limit: limit.chars, unit: "chars" };
  }
  // UTF-8 is at most 3 bytes per UTF-16 unit: short texts need no byte count at all.
  if (text.length * 3 <= limit.bytes) return { text, skipped: false, truncated: false, size: Buffer.byteLength(text), limit: limit.bytes, unit: "bytes" };
  const size = Buffer.byteLength(text);
  if (size <= limit.bytes) return { text, skipped: false, truncated: false, size, limit: limit.bytes, unit: "bytes" };
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(limit.bytes));
  return { text: text.slice(0, read), skipped: false, truncated: true, size, limit: limit.bytes, unit: "bytes" };
}
