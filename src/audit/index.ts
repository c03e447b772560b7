/** The least-privilege auditor: `audit()` for a full run, `judge()` for callers that gathered the parts themselves. */
export { audit, judge, AUDITOR_VERSION, type AuditInput } from "./audit.ts";
export { loadDeclared, compareManifests, ManifestError, type LoadedManifest } from "./declared.ts";
export { analyzeUnits, type StaticResult } from "./static/analyze.ts";
export { collectCodeFiles, loadCodeUnits, inlineScripts } from "./sources.ts";
export { readTrace } from "./dynamic.ts";
export { formatText } from "./format/text.ts";
export { toSarif } from "./format/sarif.ts";
export { RULES } from "./format/rules.ts";
export type * from "./types.ts";
export { RULE_IDS } from "./types.ts";
