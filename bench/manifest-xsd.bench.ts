/** XSD validations per second over the corpus XML manifests, against a bare libxml2 well-formedness parse. */
import fs from "node:fs";
import path from "node:path";
import { XmlDocument } from "libxml2-wasm";
import { SAFE_PARSE_OPTIONS, validateXmlSchema, warmUpXmlSchemas } from "../src/manifest/xml/xsd-validate.ts";

const DIR = path.resolve(import.meta.dirname, "../../shared/corpus/manifests/xml");

function rate(label: string, texts: string[], fn: (t: string) => void, seconds = 3): number {
  for (const t of texts) fn(t);
  let n = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (const t of texts) fn(t);
    n += texts.length;
  }
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(34)} ${perSec.toFixed(0).padStart(8)} files/s  (${(1000 / perSec).toFixed(3)} ms/file)`);
  return perSec;
}

export async function run(): Promise<void> {
  const texts = fs.readdirSync(DIR).filter((f) => f.endsWith(".xml")).map((f) => fs.readFileSync(path.join(DIR, f), "utf8"));
  const t0 = performance.now();
  warmUpXmlSchemas();
  console.log(`manifest-xsd: ${texts.length} corpus XML manifests; schema compile (1.0 + 1.1) ${(performance.now() - t0).toFixed(1)} ms`);
  const parse = rate("libxml2 parse only (baseline)", texts, (t) => {
    try {
      XmlDocument.fromBuffer(Buffer.from(t, "utf8"), { option: SAFE_PARSE_OPTIONS }).dispose();
    } catch {
      /* not well-formed: counted all the same */
    }
  });
  const full = rate("guard + parse + XSD validate", texts, (t) => void validateXmlSchema(t));
  console.log(`  ratio validate/parse time: ${(parse / full).toFixed(2)}x`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
