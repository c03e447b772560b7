/**
 * Guard run on manifest bytes BEFORE any XML parser sees them.
 *
 * Each check is named after the attack or accident it stops:
 *  - size cap: a 50 MB upload is answered from its length alone, never read into a parser;
 *  - not-text: binary garbage and NUL bytes (libxml2 would stop at the NUL and report nonsense);
 *  - invalid-utf8: reported with the byte offset, line and column of the first bad sequence;
 *  - DOCTYPE: refused outright, so entity expansion (billion laughs) and external entities (XXE)
 *    can never reach the parser. Add-in manifests have no use for a DTD.
 */
import { finding, type Finding } from "../findings.ts";
import { decodeBytes, MAX_PARSE_BYTES } from "../input.ts";

export { MAX_PARSE_BYTES };

export interface SafeXmlText {
  /** The decoded text (BOM removed) when every check passed. */
  text?: string;
  findings: Finding[];
}

/** Runs every guard; returns no findings when the input is safe to hand to an XML parser. */
export function checkXmlSafety(input: Buffer | Uint8Array | string): Finding[] {
  return decodeSafeXml(input).findings;
}

/** Runs every guard and, when they pass, returns the text to parse. */
export function decodeSafeXml(input: Buffer | Uint8Array | string): SafeXmlText {
  const tooLarge = sizeFinding(input);
  if (tooLarge) return { findings: [tooLarge] };

  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    const decoded = decodeBytes(input);
    if (typeof decoded !== "string") return { findings: [decoded] };
    text = decoded;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const control = firstForbiddenControl(text);
  if (control) return { findings: [control] };
  const doctype = doctypeFinding(text);
  if (doctype) return { findings: [doctype] };
  return { text, findings: [] };
}

function sizeFinding(input: Buffer | Uint8Array | string): Finding | undefined {
  // A UTF-8 encoding is never shorter than the UTF-16 length, so the length alone settles big strings.
  const size = typeof input === "string" ? (input.length > MAX_PARSE_BYTES ? input.length : Buffer.byteLength(input, "utf8")) : input.byteLength;
  if (size <= MAX_PARSE_BYTES) return undefined;
  return finding(
    "error",
    "manifest-too-large",
    `The manifest is ${formatSize(size)}; files over ${formatSize(MAX_PARSE_BYTES)} are refused without parsing (Outlook's own limit for an XML manifest is 256 KB).`,
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** XML 1.0 forbids C0 controls other than tab, LF and CR anywhere in a document. */
function firstForbiddenControl(text: string): Finding | undefined {
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(text);
  if (!m) return undefined;
  const pos = positionOfIndex(text, m.index);
  const code = m[0].charCodeAt(0).toString(16).padStart(4, "0");
  return finding(
    "error",
    "not-text",
    `This is not a text file: it contains the control character U+${code.toUpperCase()} (line ${pos.line}, column ${pos.column}), which XML does not allow.`,
    pos,
  );
}

export function positionOfIndex(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/**
 * Looks for a DOCTYPE in the prolog only (XML allows it nowhere else), skipping the XML declaration,
 * processing instructions, comments and whitespace. Everything after the root's start tag is the parser's job.
 */
function doctypeFinding(text: string): Finding | undefined {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end === -1) return undefined;
      i = end + 2;
      continue;
    }
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end === -1) return undefined;
      i = end + 3;
      continue;
    }
    if (text.slice(i, i + 9).toUpperCase() === "<!DOCTYPE") return describeDoctype(text, i);
    return undefined;
  }
  return undefined;
}

function describeDoctype(text: string, at: number): Finding {
  const pos = positionOfIndex(text, at);
  const rest = text.slice(at, at + 64 * 1024);
  let why: string;
  if (/<!ENTITY/i.test(rest)) {
    why = "it declares entities, which can expand exponentially (\"billion laughs\") or read local files and URLs (XXE)";
  } else if (/^<!DOCTYPE\s+[^\s>[]+\s+(SYSTEM|PUBLIC)\b/i.test(rest)) {
    why = "it points at an external DTD, which would make the parser fetch another file or URL";
  } else {
    why = "an add-in manifest has no use for one";
  }
  return finding(
    "error",
    "xml-doctype-forbidden",
    `A <!DOCTYPE> declaration is not allowed in an add-in manifest (line ${pos.line}, column ${pos.column}): ${why}. Remove it.`,
    pos,
  );
}
