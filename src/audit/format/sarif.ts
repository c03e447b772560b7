/** SARIF 2.1.0 for code-scanning tools: one run, the auditor's rules with help text, one result per finding. */
import { pathToFileURL } from "node:url";
import { isAbsolute } from "node:path";
import { RULE_IDS, type AuditReport, type Finding } from "../types.ts";
import { RULES } from "./rules.ts";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function uri(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("\\").join("/").split("/").map(encodeURIComponent).join("/"), uriBaseId: "SRCROOT" };
}

function location(f: Finding): unknown[] {
  if (f.location) {
    return [
      {
        physicalLocation: {
          artifactLocation: uri(f.location.file),
          region: { startLine: Math.max(1, f.location.line), startColumn: Math.max(1, f.location.column), ...(f.location.text ? { snippet: { text: f.location.text } } : {}) },
        },
      },
    ];
  }
  if (f.manifest) return [{ physicalLocation: { artifactLocation: uri(f.manifest.file), region: { startLine: f.manifest.line ?? 1, startColumn: f.manifest.column ?? 1 } } }];
  return [];
}

export function toSarif(report: AuditReport): unknown {
  const index = new Map(RULE_IDS.map((r, i) => [r, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "outpost-audit",
            version: report.tool.version,
            rules: RULE_IDS.map((id) => {
              const r = RULES[id];
              return {
                id: r.id,
                name: r.name,
                shortDescription: { text: r.short },
                fullDescription: { text: `${r.short} ${r.help}` },
                help: { text: r.help },
                defaultConfiguration: { level: r.level },
              };
            }),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(process.cwd() + "/").href } },
        results: report.findings.map((f) => ({
          ruleId: RULES[f.rule].id,
          ruleIndex: index.get(f.rule),
          level: f.level,
          message: { text: f.message },
          locations: location(f),
          ...(f.member ? { properties: { member: f.member } } : {}),
        })),
        properties: {
          verdict: report.verdict,
          declaredTier: report.declared.tier,
          neededTier: report.needed.tier,
          levels: report.levels,
          graphVerdict: report.graph.verdict,
          graphScopesRequested: report.graph.requested,
          graphScopesNeeded: report.graph.needed,
        },
      },
    ],
  };
}
