/**
 * Entry point for reading a manifest of either format into the normalized model.
 * Structure only: `validate.ts` adds the schema and Outlook's semantic rules.
 */
import { open, stat } from "node:fs/promises";
import { extname } from "node:path";
import type { Finding } from "./findings.ts";
import { finding } from "./findings.ts";
import type { AddinManifest, ManifestFormat } from "./model.ts";
import { decodeManifestBytes, READ_CAP_BYTES, tooLargeToRead } from "./input.ts";
import { parseXmlManifest, type XmlRawFacts } from "./xml/parse-xml.ts";
import { parseJsonManifest } from "./json/parse-json.ts";
import type { PositionedJson } from "./json/positions.ts";
import { checkXmlSafety } from "./xml/safe-xml.ts";
import { depthFinding } from "./depth.ts";

export interface ParsedManifest {
  file?: string;
  format?: ManifestFormat;
  manifest?: AddinManifest;
  findings: Finding[];
  byteLength: number;
  text?: string;
  xml?: XmlRawFacts;
  json?: PositionedJson;
}

export function detectFormat(text: string, fileName?: string): ManifestFormat | undefined {
  const first = /\S/.exec(text)?.[0];
  if (first === "<") return "xml";
  if (first === "{" || first === "[") return "json";
  const ext = fileName ? extname(fileName).toLowerCase() : "";
  return ext === ".xml" ? "xml" : ext === ".json" ? "json" : undefined;
}

export function parseManifestText(text: string, fileName?: string, byteLength = Buffer.byteLength(text)): ParsedManifest {
  const format = detectFormat(text, fileName);
  const base = { file: fileName, format, byteLength, text };
  if (!format) return { ...base, findings: [finding("error", "unknown-format", "The file is neither XML nor JSON; an add-in manifest is one or the other.", { line: 1, column: 1 })] };
  const tooDeep = depthFinding(text, format);
  if (tooDeep) return { ...base, findings: [tooDeep] };
  if (format === "xml") {
    const safety = checkXmlSafety(text);
    if (safety.some((f) => f.severity === "error")) return { ...base, findings: safety };
    const r = parseXmlManifest(text);
    return { ...base, manifest: r.manifest, findings: [...safety, ...r.findings], xml: r.raw };
  }
  const r = parseJsonManifest(text);
  return { ...base, manifest: r.manifest, findings: r.findings, json: r.json };
}

export function parseManifestBytes(bytes: Uint8Array, fileName?: string): ParsedManifest {
  const decoded = decodeManifestBytes(bytes);
  if (decoded.text === undefined) return { file: fileName, findings: decoded.findings, byteLength: bytes.byteLength };
  return parseManifestText(decoded.text, fileName, bytes.byteLength);
}

/** Reads at most READ_CAP_BYTES: a 50 MB file is answered from its size alone. */
export async function readManifestBytes(path: string): Promise<{ bytes?: Uint8Array; findings: Finding[]; size: number }> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { findings: [finding("error", "not-a-file", `${path} is not a file.`)], size: 0 };
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { findings: [finding("error", "file-not-found", code === "ENOENT" ? `${path} does not exist.` : `${path} cannot be read (${code}).`)], size: 0 };
  }
  if (size > READ_CAP_BYTES) return { findings: [tooLargeToRead(size)], size };
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return { bytes: buf.subarray(0, bytesRead), findings: [], size };
  } finally {
    await fh.close();
  }
}

export async function parseManifestFile(path: string): Promise<ParsedManifest> {
  const r = await readManifestBytes(path);
  if (!r.bytes) return { file: path, findings: r.findings, byteLength: r.size };
  return parseManifestBytes(r.bytes, path);
}

/** Parses and throws a readable error when there is no model; for callers that need a manifest or nothing. */
export async function loadManifest(path: string): Promise<AddinManifest> {
  const r = await parseManifestFile(path);
  if (!r.manifest) {
    const first = r.findings.find((f) => f.severity === "error");
    throw new ManifestLoadError(path, first ? `${first.message}${first.line ? ` (line ${first.line})` : ""}` : "unreadable manifest");
  }
  return r.manifest;
}

export class ManifestLoadError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}
