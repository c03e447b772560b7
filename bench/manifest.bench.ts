/**
 * Manifests parsed + validated (schema and Outlook's rules) per second over the corpus, next to a bare
 * parse of the same files (fast-xml-parser for XML, JSON.parse for JSON) in the same run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { validateManifestBytes } from "../src/manifest/validate.ts";
import { opsPerSecond } from "./stats.ts";

const corpus = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "corpus", "manifests");

export async function run(): Promise<void> {
  const files = ["xml", "json"].flatMap((d) => readdirSync(join(corpus, d)).map((f) => ({ name: f, kind: d, bytes: readFileSync(join(corpus, d, f)) })));
  const xmlParser = new XMLParser({ ignoreAttributes: false });
  const bare = () => {
    for (const f of files) {
      try {
        if (f.kind === "xml") xmlParser.parse(f.bytes.toString("utf8"));
        else JSON.parse(f.bytes.toString("utf8"));
      } catch { /* malformed corpus files cost what they cost */ }
    }
  };
  const full = () => {
    for (const f of files) validateManifestBytes(f.bytes, f.name);
  };
  full(); // compile schemas once, outside the measurement
  const bareRate = opsPerSecond(bare, 1500) * files.length;
  const fullRate = opsPerSecond(full, 3000) * files.length;
  console.log(`corpus: ${files.length} manifests (${files.filter((f) => f.kind === "xml").length} XML, ${files.filter((f) => f.kind === "json").length} JSON)`);
  console.log(`bare parse (fast-xml-parser / JSON.parse): ${bareRate.toFixed(0)} manifests/s`);
  console.log(`parse + validate (XSD or JSON schema + semantic rules): ${fullRate.toFixed(0)} manifests/s`);
  console.log(`ratio validate / bare parse: ${(bareRate / fullRate).toFixed(2)}× slower`);
}
