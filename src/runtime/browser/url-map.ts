/**
 * `--map <url-prefix>=<file|dir>`: local copies of remote URLs (a CDN script, the add-in's own backend recorded as
 * fixtures). A prefix mapped to a file answers exactly that URL (query ignored); a prefix mapped to a directory
 * answers every URL under it from the file at the rest of the path, resolved inside the directory (realpath checked).
 */
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

export interface UrlMapEntry {
  prefix: string;
  target: string;
  kind: "file" | "dir";
}

export class MapError extends Error {}

export async function parseMap(spec: string, cwd = process.cwd()): Promise<UrlMapEntry> {
  const split = spec.indexOf("=");
  if (split <= 0) throw new MapError(`--map ${spec}: expected <url-prefix>=<file|dir>`);
  const prefix = spec.slice(0, split);
  const path = spec.slice(split + 1);
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    throw new MapError(`--map ${spec}: "${prefix}" is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new MapError(`--map ${spec}: only http(s) URLs can be mapped`);
  let target: string;
  try {
    target = await realpath(resolve(cwd, path));
  } catch {
    throw new MapError(`--map ${spec}: ${path} does not exist`);
  }
  const kind = (await stat(target)).isDirectory() ? "dir" : "file";
  return { prefix: url.href.replace(/[?#].*$/, ""), target, kind };
}

function under(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * The local file for a URL, or null when no entry maps it. Throws MapError for a mapped URL whose file is missing
 * or lies outside its directory.
 */
export async function resolveMapped(maps: readonly UrlMapEntry[], rawUrl: string): Promise<string | null> {
  const url = rawUrl.replace(/[?#].*$/, "");
  // Longest prefix first: a file mapping inside a mapped directory wins.
  const entry = [...maps].sort((a, b) => b.prefix.length - a.prefix.length).find((m) => (m.kind === "file" ? url === m.prefix : url.startsWith(m.prefix.endsWith("/") ? m.prefix : `${m.prefix}/`) || url === m.prefix));
  if (!entry) return null;
  if (entry.kind === "file") return entry.target;
  let rest: string;
  try {
    rest = decodeURIComponent(url.slice(entry.prefix.length).replace(/^\//, ""));
  } catch {
    throw new MapError(`${rawUrl}: malformed URL path`);
  }
  return fileWithin(entry.target, rest, rawUrl);
}

/** `rest` resolved inside `root` (realpath), trying rest, rest.json, rest/index.html; MapError when absent or outside. */
export async function fileWithin(root: string, rest: string, what: string): Promise<string> {
  const candidate = resolve(root, rest);
  if (!under(root, candidate)) throw new MapError(`${what}: resolves outside ${root}`);
  for (const c of [candidate, `${candidate}.json`, resolve(candidate, "index.html")]) {
    let real: string;
    try {
      real = await realpath(c);
    } catch {
      continue;
    }
    if (!under(root, real)) throw new MapError(`${what}: resolves outside ${root} (through a symbolic link)`);
    if ((await stat(real)).isFile()) return real;
  }
  throw new MapError(`${what}: no file ${candidate}`);
}
