import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, "..", "fixtures", "manifests");
export const CORPUS = join(here, "..", "..", "..", "shared", "corpus", "manifests");
export const baseXml = readFileSync(join(FIXTURES, "base.xml"), "utf8");
export const baseJson = readFileSync(join(FIXTURES, "base.json"), "utf8");

export function mutateJson(text: string, fn: (m: any) => void): string {
  const m = JSON.parse(text);
  fn(m);
  return JSON.stringify(m, null, 2);
}

/** Replace exactly one occurrence; fails loudly if the fixture changed. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`fixture does not contain exactly one ${JSON.stringify(from)}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
