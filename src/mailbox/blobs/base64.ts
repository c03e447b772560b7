/**
 * Base64 text decoded piece by piece, so that an upload given as base64 (REST ContentBytes,
 * addFileAttachmentFromBase64Async) never exists whole as bytes: each piece goes to the blob store and is dropped.
 * Gives exactly the bytes `Buffer.from(text, "base64")` would, however the text is cut.
 */
const PIECE_CHARS = 1024 * 1024;
/** Characters Node's decoder skips: dropped first, or they would shift the 4-character groups of a piece. */
const IGNORED = /[^A-Za-z0-9+/\-_=]/g;
const HAS_IGNORED = /[^A-Za-z0-9+/\-_=]/;

/** Decodes base64 text that arrives in pieces of any size. */
export class Base64Decoder {
  /** Characters not decoded yet: fewer than 4, or everything from the first "=" on. */
  private carry = "";
  private padded = false;

  push(text: string): Buffer | undefined {
    if (!this.padded) {
      // The common case, clean base64 without padding: decoded straight away. If any character in the decoded part
      // was one Node skips, or padding, fewer bytes come out than 3 per 4 characters; then the careful path below
      // decides. (Scanning every piece for such characters first cost as much as decoding it.)
      const all = this.carry ? this.carry + text : text;
      const cut = all.length - (all.length % 4);
      const fast = Buffer.from(all.slice(0, cut), "base64");
      const tail = all.slice(cut);
      if (fast.length === (cut / 4) * 3 && !HAS_IGNORED.test(tail) && !tail.includes("=")) {
        this.carry = tail;
        return cut > 0 ? fast : undefined;
      }
    }
    return this.careful(text);
  }

  private careful(text: string): Buffer | undefined {
    const clean = HAS_IGNORED.test(text) ? text.replace(IGNORED, "") : text;
    if (this.padded) {
      this.carry += clean;
      return undefined;
    }
    const all = this.carry ? this.carry + clean : clean;
    const pad = all.indexOf("=");
    let cut = all.length - (all.length % 4);
    if (pad >= 0) {
      // Padding, in the middle or at the end: Node's decoder has its own rules for what follows it, so from the
      // group that holds it on, the text is decoded in one go at the end.
      this.padded = true;
      cut = pad - (pad % 4);
    }
    this.carry = all.slice(cut);
    return cut > 0 ? Buffer.from(all.slice(0, cut), "base64") : undefined;
  }

  end(): Buffer | undefined {
    const rest = this.carry;
    this.carry = "";
    return rest ? Buffer.from(rest, "base64") : undefined;
  }
}

export function* base64Pieces(text: string, pieceChars = PIECE_CHARS): Generator<Buffer> {
  const decoder = new Base64Decoder();
  for (let i = 0; i < text.length; i += pieceChars) {
    const piece = decoder.push(text.slice(i, i + pieceChars));
    if (piece?.length) yield piece;
  }
  const last = decoder.end();
  if (last?.length) yield last;
}

/** Base64 text arriving as a stream of pieces, decoded as it comes. */
export async function* base64Stream(texts: AsyncIterable<string>): AsyncGenerator<Buffer> {
  const decoder = new Base64Decoder();
  for await (const text of texts) {
    const piece = decoder.push(text);
    if (piece?.length) yield piece;
  }
  const last = decoder.end();
  if (last?.length) yield last;
}
