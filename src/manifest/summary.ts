/** The normalized model in brief, for `outpost manifest info`. */
import type { AddinManifest } from "./model.ts";
import { describeRule } from "./convert/describe-rule.ts";

export interface ManifestSummary {
  format: string;
  schemaVersion: string;
  id: string;
  version: string;
  name: string;
  provider: string;
  hosts: string[];
  tier: string;
  supplementary: string[];
  requirementSets: string[];
  sourceLocations: string[];
  activation?: string;
  extensionPoints: string[];
  runtimes: string[];
  domains: string[];
}

export function summarizeManifest(m: AddinManifest): ManifestSummary {
  const sl: string[] = [];
  for (const [form, byFactor] of Object.entries(m.sourceLocations)) for (const [ff, url] of Object.entries(byFactor ?? {})) sl.push(`${form}/${ff}: ${url}`);
  return {
    format: m.format,
    schemaVersion: m.schemaVersion,
    id: m.id,
    version: m.version,
    name: m.name.value,
    provider: m.provider.name,
    hosts: m.hosts,
    tier: m.tier,
    supplementary: m.supplementary,
    requirementSets: m.requirements.sets.map((s) => `${s.name}${s.minVersion ? ` ≥ ${s.minVersion}` : ""}`),
    sourceLocations: sl,
    activation: m.rules ? describeRule(m.rules) : undefined,
    extensionPoints: m.extensionPoints.map((e) => `${e.type} (${e.formFactor}; ${e.groups.reduce((n, g) => n + g.controls.length, 0)} control(s)${e.events ? `; events ${e.events.map((x) => x.type).join(", ")}` : ""})`),
    runtimes: m.runtimes.map((r) => `${r.id ?? "runtime"}: ${r.sourceLocation ?? ""}${r.scriptLocation ? ` + ${r.scriptLocation}` : ""} (${r.lifetime ?? "short"})`),
    domains: m.appDomains,
  };
}

export function formatSummary(s: ManifestSummary): string {
  const row = (k: string, v: string | string[] | undefined) => (v === undefined || (Array.isArray(v) && !v.length) ? [] : Array.isArray(v) ? [`${k}:`, ...v.map((x) => `  - ${x}`)] : [`${k}: ${v}`]);
  return [
    ...row("Name", s.name), ...row("Id", s.id), ...row("Version", s.version), ...row("Provider", s.provider),
    ...row("Format", `${s.format.toUpperCase()} (schema ${s.schemaVersion})`), ...row("Hosts", s.hosts.join(", ")),
    ...row("Permission", s.tier), ...row("Supplementary", s.supplementary.length ? s.supplementary.join(", ") : undefined),
    ...row("Requirement sets", s.requirementSets), ...row("Source locations", s.sourceLocations), ...row("Activation", s.activation),
    ...row("Extension points", s.extensionPoints), ...row("Runtimes", s.runtimes), ...row("Domains", s.domains),
  ].join("\n") + "\n";
}
