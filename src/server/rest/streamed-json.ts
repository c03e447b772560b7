/**
 * A JSON object read as it arrives, with one string member handed on in pieces instead of built whole: a REST
 * attachment upload is `{"Name": …, "ContentBytes": "<up to 33 MB of base64>"}`, and parsing it whole held the
 * body three times (the received bytes, the text, the parsed string) and decoded nothing until the last byte came.
 * Here the other members are parsed with JSON.parse one by one (each at most `maxMemberChars`), and the streamed
 * member's text goes on chunk by chunk, escapes decoded, while the rest of the body is still on the wire.
 *
 * Streaming JSON libraries were measured for this (stream-json: 16 MB/s on a 33 MB body, against ~110 MB/s for
 * JSON.parse); the others build every string whole. This reader knows one shape only — an object whose members are
 * any JSON values — and leaves every value but the streamed string to JSON.parse.
 */
import { StringDecoder } from "node:string_decoder";

export class JsonBodyError extends Error {
  readonly statusCode: number;
  constructor(message: string, statusCode = 400) {
    super(message);
    this.name = "JsonBodyError";
    this.statusCode = statusCode;
  }
}

export interface StreamedJsonOptions {
  /** The member whose string value is handed on in pieces. */
  streamed: string;
  /** The whole body, in bytes (413 past it). */
  maxBytes: number;
  /** Any other member's name or value, in characters. */
  maxMemberChars?: number;
}

const BACKSLASH = 92;

export class StreamedJsonObject {
  /** Members read so far (a null-prototype object: member names are never properties of anything else). */
  readonly fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private text = "";
  private pos = 0;
  private ended = false;
  private bytes = 0;
  private state: "start" | "first" | "after" | "done" = "start";
  private streamedSeen = false;
  private readonly decoder = new StringDecoder("utf8");
  private readonly source: AsyncIterator<Buffer | string>;
  private readonly maxMemberChars: number;

  constructor(
    source: AsyncIterable<Buffer | string>,
    private readonly options: StreamedJsonOptions,
  ) {
    this.source = source[Symbol.asyncIterator]();
    this.maxMemberChars = options.maxMemberChars ?? 64 * 1024;
  }

  /** Whether the streamed member was in the body (known once `streamedText` has ended). */
  get hasStreamed(): boolean {
    return this.streamedSeen;
  }

  /**
   * Reads up to the end of the streamed member's string, yielding its text (escapes decoded) piece by piece; the
   * members before it land in `fields`. Ends without yielding when the object has no such member.
   */
  async *streamedText(): AsyncGenerator<string> {
    const key = await this.nextStreamedMember();
    if (key === undefined) return;
    yield* this.stringContent(key);
    this.state = "after";
  }

  /** Reads the members after the streamed one and checks that nothing but whitespace follows the object. */
  async rest(): Promise<Record<string, unknown>> {
    if ((await this.nextStreamedMember()) !== undefined) throw new JsonBodyError(`"${this.options.streamed}" appears more than once in the body`);
    if ((await this.peek()) !== "") throw new JsonBodyError("the body has more after its JSON object");
    return this.fields;
  }

  /** Reads members until the streamed one (its name and colon consumed: its value comes next) or the object's end. */
  private async nextStreamedMember(): Promise<string | undefined> {
    if (this.state === "start") {
      if ((await this.peek()) !== "{") throw new JsonBodyError("the body is not a JSON object");
      this.pos++;
      this.state = "first";
    }
    while (this.state !== "done") {
      const c = await this.peek();
      if (c === "}") {
        this.pos++;
        this.state = "done";
        return undefined;
      }
      if (this.state === "after") {
        if (c !== ",") throw new JsonBodyError(c === "" ? "the body ends before its JSON object is closed" : `expected "," or "}" in the body, found "${c}"`);
        this.pos++;
        if ((await this.peek()) === "}") throw new JsonBodyError('a "," before "}" in the body');
      }
      if ((await this.peek()) !== '"') throw new JsonBodyError("expected a member name in the body");
      const key = (await this.value("a member name")) as string;
      if ((await this.peek()) !== ":") throw new JsonBodyError(`expected ":" after "${key.slice(0, 60)}" in the body`);
      this.pos++;
      if (key === this.options.streamed) {
        if (this.streamedSeen) return key; // rest() reports the repetition
        this.streamedSeen = true;
        if ((await this.peek()) !== '"') throw new JsonBodyError(`"${key}" must be a string`);
        this.pos++;
        return key;
      }
      await this.peek();
      this.fields[key] = await this.value(`"${key.slice(0, 60)}"`);
      this.state = "after";
    }
    return undefined;
  }

  /** The streamed string's characters up to its closing quote, never cutting an escape sequence in two. */
  private async *stringContent(key: string): AsyncGenerator<string> {
    for (;;) {
      const t = this.text;
      const start = this.pos;
      let q = t.indexOf('"', start);
      while (q >= 0 && backslashesBefore(t, q, start) % 2 === 1) q = t.indexOf('"', q + 1);
      if (q >= 0) {
        this.pos = q + 1;
        if (q > start) yield unescape(t.slice(start, q), key);
        return;
      }
      const cut = safeCut(t, start);
      this.pos = cut;
      if (cut > start) yield unescape(t.slice(start, cut), key);
      if (!(await this.more())) throw new JsonBodyError(`the body ends inside "${key}"`);
    }
  }

  /** One complete JSON value (or member name) from the current position, parsed by JSON.parse. */
  private async value(what: string): Promise<unknown> {
    let i = this.pos;
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      if (i >= this.text.length) {
        const offset = i - this.pos;
        if (!(await this.more())) break;
        i = this.pos + offset;
        continue;
      }
      const c = this.text[i]!;
      if (i - this.pos > this.maxMemberChars) throw new JsonBodyError(`${what} in the body is longer than ${this.maxMemberChars} characters`);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') {
          inString = false;
          if (depth === 0) {
            i++;
            break;
          }
        }
      } else if (c === '"') {
        if (depth === 0 && i > this.pos) break;
        inString = true;
      } else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) break;
        if (--depth === 0) {
          i++;
          break;
        }
      } else if ((c === "," || c === ":") && depth === 0) break;
      i++;
    }
    const raw = this.text.slice(this.pos, i);
    this.pos = i;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new JsonBodyError(raw.trim() === "" ? `${what} is missing in the body` : `${what} in the body is not valid JSON`);
    }
  }

  /** The next character after whitespace ("" at the end of the body). */
  private async peek(): Promise<string> {
    for (;;) {
      const t = this.text;
      let i = this.pos;
      while (i < t.length && (t[i] === " " || t[i] === "\n" || t[i] === "\r" || t[i] === "\t")) i++;
      this.pos = i;
      if (i < t.length) return t[i]!;
      if (!(await this.more())) return "";
    }
  }

  /** Appends the next piece of the body to what is not yet consumed; false at its end. */
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    let piece: string;
    if (next.done) {
      this.ended = true;
      piece = this.decoder.end();
      if (!piece) return false;
    } else {
      const chunk = next.value;
      this.bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (this.bytes > this.options.maxBytes) throw new JsonBodyError(`the body is larger than ${this.options.maxBytes} bytes`, 413);
      piece = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    }
    this.text = this.pos > 0 ? this.text.slice(this.pos) + piece : this.text + piece;
    this.pos = 0;
    return true;
  }
}

function backslashesBefore(t: string, at: number, from: number): number {
  let n = 0;
  for (let k = at - 1; k >= from && t.charCodeAt(k) === BACKSLASH; k--) n++;
  return n;
}

/** Where the text can be cut without splitting an escape: before an unfinished `\x` or `\uXXXX` at its end. */
function safeCut(t: string, from: number): number {
  // Only the last 6 characters can hold an unfinished escape (`\uXXXX` is the longest).
  let last = -1;
  for (let k = t.length - 1; k >= Math.max(from, t.length - 6); k--) {
    if (t.charCodeAt(k) === BACKSLASH) {
      last = k;
      break;
    }
  }
  if (last < 0) return t.length;
  const run = backslashesBefore(t, last + 1, from);
  if (run % 2 === 0) return t.length; // pairs: `\\` escapes, all complete
  const need = t[last + 1] === "u" ? 6 : 2;
  return last + need <= t.length ? t.length : last;
}

function unescape(segment: string, key: string): string {
  if (!segment.includes("\\")) return segment;
  try {
    return JSON.parse(`"${segment}"`) as string;
  } catch {
    throw new JsonBodyError(`"${key}" holds an invalid escape sequence`);
  }
}
