/** Public API of the manifest domain. */
export type * from "./model.ts";
export { finding, formatFinding, hasErrors, type Finding, type Severity } from "./findings.ts";
export { detectFormat, loadManifest, ManifestLoadError, parseManifestBytes, parseManifestFile, parseManifestText, type ParsedManifest } from "./parse.ts";
export { validateManifestBytes, validateManifestFile, validateManifestText, validateParsed, type ValidationResult } from "./validate.ts";
export { convertValidated, type ValidatedConversion } from "./convert-validated.ts";
export { convert, describeRule, type ConversionNote, type ConversionResult } from "./convert/index.ts";
export { explainManifest, formatExplanation, type Explanation } from "./explain.ts";
export { summarizeManifest, formatSummary, type ManifestSummary } from "./summary.ts";
export { MANIFEST_RULES, type ManifestRule } from "./rules/index.ts";
