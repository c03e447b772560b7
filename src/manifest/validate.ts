/** Offline validation: structure (XSD / JSON schema), then Outlook's semantic rules. */
import { hasErrors, type Finding } from "./findings.ts";
import { parseManifestBytes, parseManifestFile, parseManifestText, type ParsedManifest } from "./parse.ts";
import { validateXmlSchema } from "./xml/xsd-validate.ts";
import { validateUnifiedSchema } from "./json/schema-validate.ts";
import { MANIFEST_RULES, runRules } from "./rules/index.ts";

export interface ValidationResult extends ParsedManifest {
  valid: boolean;
}

export function validateParsed(parsed: ParsedManifest): ValidationResult {
  const findings: Finding[] = [...parsed.findings];
  if (parsed.manifest && parsed.text !== undefined) {
    if (parsed.format === "xml") findings.push(...validateXmlSchema(parsed.text));
    else if (parsed.json) findings.push(...validateUnifiedSchema(parsed.json));
    findings.push(...runRules(MANIFEST_RULES, { manifest: parsed.manifest, format: parsed.manifest.format, byteLength: parsed.byteLength, xml: parsed.xml, json: parsed.json }));
  }
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ...parsed, findings, valid: !hasErrors(findings) };
}

export function validateManifestText(text: string, fileName?: string): ValidationResult {
  return validateParsed(parseManifestText(text, fileName));
}

export function validateManifestBytes(bytes: Uint8Array, fileName?: string): ValidationResult {
  return validateParsed(parseManifestBytes(bytes, fileName));
}

export async function validateManifestFile(path: string): Promise<ValidationResult> {
  return validateParsed(await parseManifestFile(path));
}
