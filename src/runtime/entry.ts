/**
 * Reads an add-in entry for the headless runner: a .js file, or an .html page whose inline scripts and same-folder
 * `<script src>` files run in document order. office.js references are skipped (Outpost's shim is already there);
 * remote or out-of-folder scripts are refused rather than fetched.
 */
import { readFile, realpath } from "node:fs/promises";
import { dirname, extname, relative, resolve, isAbsolute } from "node:path";
import type { SandboxScript } from "./sandbox/sandbox.ts";

export class EntryError extends Error {}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const MAX_SCRIPT_BYTES = 5 * 1024 * 1024;

export async function readEntry(path: string): Promise<SandboxScript[]> {
  const text = await readText(path);
  if (extname(path).toLowerCase() !== ".html" && extname(path).toLowerCase() !== ".htm") return [{ name: path, code: text }];
  const dir = dirname(resolve(path));
  const scripts: SandboxScript[] = [];
  for (const m of text.matchAll(SCRIPT)) {
    const attrs = m[1] ?? "";
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    if (type && !["text/javascript", "application/javascript", "module"].includes(type)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(attrs)?.[1];
    const line = text.slice(0, m.index).split("\n").length;
    if (!src) {
      if (m[2]?.trim()) scripts.push({ name: `${path}:${line}`, code: m[2] });
      continue;
    }
    if (/(^|\/)office(\.debug)?\.js(\?.*)?$/i.test(src)) continue;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) throw new EntryError(`${path}:${line}: remote script ${src} is not fetched by the headless runner; vendor it next to the page`);
    // Both sides resolved to their real paths first: a symlink in the folder pointing out of it is outside.
    const file = await realOrSelf(resolve(dir, src.replace(/[?#].*$/, "").replace(/^\//, "")));
    const rel = relative(await realOrSelf(dir), file);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new EntryError(`${path}:${line}: script ${src} lies outside the page's folder`);
    scripts.push({ name: file, code: await readText(file) });
  }
  return scripts;
}

/** The real path (symlinks resolved); a missing file keeps its path and fails when read, with that message. */
async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function readText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new EntryError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (bytes.length > MAX_SCRIPT_BYTES) throw new EntryError(`${path}: larger than ${MAX_SCRIPT_BYTES} bytes`);
  return bytes.toString("utf8");
}
