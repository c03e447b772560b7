/**
 * The add-in's code as the auditor reads it: JavaScript and TypeScript files, and the inline `<script>`s of its HTML
 * pages (each a unit of its own with its position in the page), found under the given files and folders.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { Parser } from "htmlparser2";
import type { Finding } from "./types.ts";

export interface CodeUnit {
  /** File name as shown in evidence (relative to the working directory when under it). */
  file: string;
  /** Name the TypeScript program knows the unit by (unique; inline scripts get a suffix). */
  programName: string;
  text: string;
  /** Where `text` starts in `file` (0-based line and column), for inline scripts. */
  lineOffset: number;
  columnOffset: number;
  bytes: number;
}

const SCRIPT_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"]);
const HTML_EXTENSIONS = new Set([".html", ".htm"]);
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".svn", "coverage"]);
/** A file larger than this is reported, not parsed (a 5 MB bundle is typical; 64 MB is not an add-in). */
export const MAX_CODE_FILE_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 20_000;

const JS_SCRIPT_TYPES = new Set(["", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript", "text/babel", "text/jsx"]);

export function isCodeFile(name: string): boolean {
  const ext = extname(name).toLowerCase();
  if (name.endsWith(".d.ts")) return false;
  return SCRIPT_EXTENSIONS.has(ext) || HTML_EXTENSIONS.has(ext);
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** Every code file under `paths` (files given by name are taken whatever their extension). */
export async function collectCodeFiles(paths: readonly string[], findings: Finding[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      findings.push(unreadable(dir, e));
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length >= MAX_FILES) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && isCodeFile(entry.name)) out.push(full);
    }
  };
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      findings.push(unreadable(p, e));
      continue;
    }
    if (s.isDirectory()) await walk(p);
    else out.push(p);
  }
  return [...new Set(out)];
}

export function unreadable(path: string, e: unknown): Finding {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why = code === "ENOENT" ? "no such file or folder" : code === "EACCES" ? "permission denied" : code ?? (e instanceof Error ? e.message : String(e));
  return { rule: "unreadable-input", level: "error", message: `${display(path)}: cannot read (${why}); its code is not audited.`, location: { file: display(path), line: 1, column: 1 } };
}

/** Reads the files into units; HTML pages give one unit per inline script. */
export async function loadCodeUnits(files: readonly string[], findings: Finding[]): Promise<CodeUnit[]> {
  const units: CodeUnit[] = [];
  for (const path of files) {
    let buf: Buffer;
    try {
      const s = await stat(path);
      if (s.size > MAX_CODE_FILE_BYTES) {
        findings.push({ rule: "unreadable-input", level: "error", message: `${display(path)}: ${s.size} bytes, more than the ${MAX_CODE_FILE_BYTES} the auditor reads; not audited.`, location: { file: display(path), line: 1, column: 1 } });
        continue;
      }
      buf = await readFile(path);
    } catch (e) {
      findings.push(unreadable(path, e));
      continue;
    }
    if (buf.includes(0)) {
      findings.push({ rule: "unreadable-input", level: "error", message: `${display(path)}: binary content (NUL bytes), not JavaScript; not audited.`, location: { file: display(path), line: 1, column: 1 } });
      continue;
    }
    const text = buf.toString("utf8").replace(/^\uFEFF/, "");
    const ext = extname(path).toLowerCase();
    if (HTML_EXTENSIONS.has(ext)) units.push(...inlineScripts(path, text));
    else units.push({ file: display(path), programName: resolve(path), text, lineOffset: 0, columnOffset: 0, bytes: buf.length });
  }
  return units;
}

/** The inline `<script>` elements of a page that hold JavaScript (not `src=`, not JSON or templates). */
export function inlineScripts(path: string, html: string): CodeUnit[] {
  const units: CodeUnit[] = [];
  const lineStarts = [0];
  for (let i = 0; i < html.length; i++) if (html.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - lineStarts[lo] };
  };
  let inScript = false;
  let start = -1;
  let end = -1;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== "script") return;
        const type = (attrs.type ?? "").trim().toLowerCase();
        inScript = attrs.src === undefined && JS_SCRIPT_TYPES.has(type);
        start = -1;
      },
      ontext() {
        if (!inScript) return;
        if (start < 0) start = parser.startIndex;
        end = parser.endIndex + 1;
      },
      onclosetag(name) {
        if (name !== "script" || !inScript) return;
        inScript = false;
        if (start < 0) return;
        const text = html.slice(start, end);
        if (!text.trim()) return;
        const at = position(start);
        units.push({
          file: display(path),
          programName: `${resolve(path)}.inline-${units.length + 1}.js`,
          text,
          lineOffset: at.line,
          columnOffset: at.column,
          bytes: Buffer.byteLength(text),
        });
      },
    },
    { decodeEntities: false, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return units;
}
