/** A semantic manifest rule, ESLint-style: metadata (which also feeds the docs) plus a check. */
import type { Finding, Severity } from "../findings.ts";
import type { AddinManifest, ManifestFormat, SourcePosition } from "../model.ts";
import type { XmlRawFacts } from "../xml/parse-xml.ts";
import type { PositionedJson } from "../json/positions.ts";

export interface RuleContext {
  manifest: AddinManifest;
  format: ManifestFormat;
  byteLength: number;
  xml?: XmlRawFacts;
  json?: PositionedJson;
}

export interface ManifestRule {
  meta: {
    code: string;
    severity: Severity;
    formats: readonly ManifestFormat[];
    /** One sentence for the generated docs: what Outlook requires. */
    description: string;
  };
  check(ctx: RuleContext, report: (message: string, pos?: SourcePosition, severity?: Severity) => void): void;
}

export function runRules(rules: readonly ManifestRule[], ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    if (!rule.meta.formats.includes(ctx.format)) continue;
    rule.check(ctx, (message, pos, severity) => {
      const f: Finding = { severity: severity ?? rule.meta.severity, code: rule.meta.code, message };
      if (pos?.line !== undefined) f.line = pos.line;
      if (pos?.column !== undefined) f.column = pos.column;
      if (pos?.pointer !== undefined) f.pointer = pos.pointer;
      out.push(f);
    });
  }
  return out;
}
