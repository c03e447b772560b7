/** Conversion between the two manifest formats. The output is re-validated by the caller (see convertManifest). */
import type { AddinManifest } from "../model.ts";
import { toUnified } from "./to-unified.ts";
import { toXml } from "./to-xml.ts";
import type { ConversionResult } from "./report.ts";

export type { ConversionNote, ConversionResult } from "./report.ts";
export { describeRule } from "./describe-rule.ts";

export function convert(m: AddinManifest, to: "json" | "xml", manifestVersion?: string): ConversionResult {
  return to === "json" ? toUnified(m, manifestVersion) : toXml(m);
}
