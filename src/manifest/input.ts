/**
 * Bytes → text, before any parser sees them. Refuses what no manifest can be: too large to be one,
 * binary, or not valid UTF-8 (UTF-16 with a BOM is decoded).
 */
import { finding, type Finding } from "./findings.ts";

/** Hard cap for reading at all: four times Outlook's 256 KB limit, so the size rule can still report real figures. */
export const READ_CAP_BYTES = 1024 * 1024;

export type DecodeResult = { text: string; findings: Finding[] } | { text?: undefined; findings: Finding[] };

export function tooLargeToRead(size: number): Finding {
  return finding("error", "manifest-too-large", `The file is ${(size / (1024 * 1024)).toFixed(1)} MB; a manifest may be at most 256 KB, so it was not parsed.`);
}

export function decodeManifestBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > READ_CAP_BYTES) return { findings: [tooLargeToRead(bytes.byteLength)] };
  if (bytes.byteLength === 0) return { findings: [finding("error", "empty-file", "The file is empty.")] };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith("utf-16le", bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith("utf-16be", bytes.subarray(2));
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { findings: [finding("error", "not-text", `The file holds binary data (a NUL byte at offset ${nul}, ${positionOf(bytes, nul)}); a manifest is XML or JSON text.`, lineColumn(bytes, nul))] };
  }
  return decodeWith("utf-8", bytes);
}

function decodeWith(encoding: string, bytes: Uint8Array): DecodeResult {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
    return { text, findings: [] };
  } catch {
    const bad = encoding === "utf-8" ? firstInvalidUtf8(bytes) : 0;
    return { findings: [finding("error", "invalid-utf8", `The file is not valid ${encoding.toUpperCase()} text (first bad byte at offset ${bad}, ${positionOf(bytes, bad)}).`, lineColumn(bytes, bad))] };
  }
}

function lineColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1, lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) { line++; lineStart = i + 1; }
  return { line, column: offset - lineStart + 1 };
}

function positionOf(bytes: Uint8Array, offset: number): string {
  const { line, column } = lineColumn(bytes, offset);
  return `line ${line}, column ${column}`;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0, min = 0;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}
