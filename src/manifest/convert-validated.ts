/**
 * Conversion whose output is validated before it is handed back. For JSON, the lowest unified schema
 * version (≥ 1.17) that accepts the output is chosen, so the manifest runs on the most clients.
 */
import type { AddinManifest } from "./model.ts";
import type { Finding } from "./findings.ts";
import { convert, type ConversionResult } from "./convert/index.ts";
import { validateManifestText } from "./validate.ts";
import { availableSchemaVersions, MIN_UNIFIED_VERSION } from "./json/schema-validate.ts";

export interface ValidatedConversion extends ConversionResult {
  valid: boolean;
  findings: Finding[];
}

export function convertValidated(m: AddinManifest, to: "json" | "xml"): ValidatedConversion {
  if (to === "xml") {
    const c = convert(m, "xml");
    const v = validateManifestText(c.output, "converted.xml");
    return { ...c, valid: v.valid, findings: v.findings };
  }
  const versions = availableSchemaVersions().filter((v) => /^\d+\.\d+$/.test(v) && cmp(v, MIN_UNIFIED_VERSION) >= 0).sort(cmp);
  let last: ValidatedConversion | undefined;
  for (const version of versions) {
    const c = convert(m, "json", version);
    const v = validateManifestText(c.output, "converted.json");
    last = { ...c, valid: v.valid, findings: v.findings };
    if (v.valid) return last;
  }
  return last!;
}

function cmp(a: string, b: string): number {
  const [a1, a2] = a.split(".").map(Number), [b1, b2] = b.split(".").map(Number);
  return a1 - b1 || a2 - b2;
}
