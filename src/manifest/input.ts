/**
 * Bytes → text, before any parser sees them. Refuses what no manifest can be: too large to be one,
 * binary, or not valid UTF-8 (UTF-16 with a byte-order mark is decoded). Shared by both formats.
 */
import { finding, type Finding } from "./findings.ts";

/**
 * Above this many bytes nothing is parsed: four times Outlook's 256 KB limit, so the size rule can
 * still report real figures for slightly-too-large manifests.
 */
export const MAX_PARSE_BYTES = 1024 * 1024;
export const READ_CAP_BYTES = MAX_PARSE_BYTES;

export type DecodeResult = { text: string; findings: Finding[] } | { text?: undefined; findings: Finding[] };

export function tooLargeToRead(size: number): Finding {
  return finding("error", "manifest-too-large", `The file is ${(size / (1024 * 1024)).toFixed(1)} MB; a manifest may be at most 256 KB, so it was not parsed.`);
}

export function decodeManifestBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > READ_CAP_BYTES) return { findings: [tooLargeToRead(bytes.byteLength)] };
  if (bytes.byteLength === 0) return { findings: [finding("error", "empty-file", "The file is empty.")] };
  const decoded = decodeBytes(bytes);
  if (typeof decoded !== "string") return { findings: [decoded] };
  return { text: decoded.replace(/^\uFEFF/, ""), findings: [] };
}

/** UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is reported with its position. */
export function decodeBytes(bytes: Uint8Array): string | Finding {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
    } catch {
      return finding("error", "invalid-utf16", `The file starts with a UTF-16 byte-order mark but is not valid ${encoding.toUpperCase()} text.`);
    }
  }
  const nul = bytes.indexOf(0);
  const bad = firstInvalidUtf8(bytes);
  if (nul !== -1 && (bad === -1 || nul <= bad)) {
    return finding("error", "not-text", `This is not a text file: it contains a NUL byte at byte offset ${nul} (${where(bytes, nul)}).`, positionOfByte(bytes, nul));
  }
  if (bad !== -1) {
    return finding(
      "error",
      "invalid-utf8",
      `The file is not valid UTF-8: bad byte 0x${bytes[bad].toString(16).padStart(2, "0")} at byte offset ${bad} (${where(bytes, bad)}). Save the manifest as UTF-8.`,
      positionOfByte(bytes, bad),
    );
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or -1. Rejects overlongs and surrogates. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function where(bytes: Uint8Array, offset: number): string {
  const p = positionOfByte(bytes, offset);
  return `line ${p.line}, column ${p.column}`;
}

