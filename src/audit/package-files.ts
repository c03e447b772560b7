/**
 * The shape of a code package submitted with a store version: relative paths and texts, checked before anything
 * reads them. Light on purpose (no compiler): the HTTP route checks a submission with it before the auditor loads.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join, posix, relative, sep } from "node:path";

export interface PackageFile {
  /** Relative POSIX path inside the package (`dist/taskpane.js`). */
  path: string;
  text: string;
}

/** Limits of a submitted code package (the store's HTTP route allows a body this large, plus the manifest). */
export const PACKAGE_LIMITS = { files: 2000, bytes: 16 * 1024 * 1024, path: 300 } as const;

export class PackageError extends Error {}

/** Checks a package's shape; throws naming the first problem and where. */
export function checkPackage(files: unknown): PackageFile[] {
  if (!Array.isArray(files)) throw new PackageError("code must be an array of {path, text} files");
  if (files.length > PACKAGE_LIMITS.files) throw new PackageError(`code has ${files.length} files; at most ${PACKAGE_LIMITS.files}`);
  let bytes = 0;
  const seen = new Set<string>();
  return files.map((f, i) => {
    const file = f as { path?: unknown; text?: unknown };
    if (!file || typeof file.path !== "string" || typeof file.text !== "string") throw new PackageError(`code[${i}] must be {path, text} with two strings`);
    const p = file.path;
    if (!p || p.length > PACKAGE_LIMITS.path) throw new PackageError(`code[${i}].path must be 1–${PACKAGE_LIMITS.path} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\\]/.test(p) || p.startsWith("/") || /^[a-z]:/i.test(p)) throw new PackageError(`code[${i}].path "${p.slice(0, 80)}" must be a relative path with forward slashes`);
    const norm = posix.normalize(p);
    if (norm === ".." || norm.startsWith("../")) throw new PackageError(`code[${i}].path "${p.slice(0, 80)}" leaves the package`);
    if (seen.has(norm)) throw new PackageError(`code[${i}].path "${p.slice(0, 80)}" appears twice`);
    seen.add(norm);
    bytes += Buffer.byteLength(file.text);
    if (bytes > PACKAGE_LIMITS.bytes) throw new PackageError(`code is larger than ${PACKAGE_LIMITS.bytes / 1024 / 1024} MB`);
    return { path: norm, text: file.text };
  });
}


const CODE_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".html", ".htm"]);
const SKIPPED = new Set(["node_modules", ".git", ".svn", "coverage"]);

/** The code files under a folder (as the auditor walks it: node_modules skipped), as a package relative to it. */
export async function readPackageDir(dir: string): Promise<PackageFile[]> {
  const out: PackageFile[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= PACKAGE_LIMITS.files) return;
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) await walk(full);
      } else if (e.isFile() && CODE_EXTENSIONS.has(extname(e.name).toLowerCase()) && !e.name.endsWith(".d.ts")) {
        out.push({ path: relative(dir, full).split(sep).join("/"), text: await readFile(full, "utf8") });
      }
    }
  };
  await walk(dir);
  return out;
}
