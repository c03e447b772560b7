/**
 * Unified manifest JSON-schema validation against Microsoft's published schemas, shipped in
 * `@microsoft/app-manifest` (draft-04; one schema per manifest version). Schemas compile lazily, once.
 */
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type AjvDraft04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";
import type ajvFormats from "ajv-formats";
import { finding, type Finding } from "../findings.ts";
import type { PositionedJson } from "./positions.ts";

const require = createRequire(import.meta.url);
const SCHEMA_ROOT = join(dirname(require.resolve("@microsoft/app-manifest/package.json")), "build/json-schemas/teams");
/** Unified manifests for Outlook add-ins exist from manifest version 1.17 on. */
export const MIN_UNIFIED_VERSION = "1.17";

// Loaded on the first JSON manifest only: an XML-only command line never pays for ajv (issue 13's start-up budget).
// Both packages are CommonJS with a `default` export; under NodeNext the class sits on `.default`.
function loadAjv(): { Ajv: typeof AjvDraft04.default; addFormats: typeof ajvFormats.default } {
  return { Ajv: (require("ajv-draft-04") as typeof AjvDraft04).default, addFormats: (require("ajv-formats") as typeof ajvFormats).default };
}

const compiled = new Map<string, ValidateFunction>();

export function availableSchemaVersions(): string[] {
  return readdirSync(SCHEMA_ROOT).filter((d) => existsSync(join(SCHEMA_ROOT, d, "MicrosoftTeams.schema.json"))).map((d) => d.replace(/^v/, ""));
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The schema to use for a declared manifestVersion: exact, else the nearest lower published one. */
export function resolveSchemaVersion(declared: string): { version: string; exact: boolean } | undefined {
  const all = availableSchemaVersions();
  const same = all.find((v) => v.toLowerCase() === declared.toLowerCase());
  if (same) return { version: same, exact: true };
  if (!/^\d+\.\d+$/.test(declared)) return undefined;
  const lower = all.filter((v) => /^\d+\.\d+$/.test(v) && compareVersions(v, declared) < 0).sort(compareVersions).pop();
  return lower ? { version: lower, exact: false } : undefined;
}

function validatorFor(version: string): ValidateFunction {
  let v = compiled.get(version);
  if (v === undefined) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_ROOT, `v${version}`, "MicrosoftTeams.schema.json"), "utf8"));
    delete schema.$schema;
    const { Ajv, addFormats } = loadAjv();
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    addFormats(ajv);
    const fn: ValidateFunction = ajv.compile(schema);
    compiled.set(version, fn);
    return fn;
  }
  return v;
}

export function validateUnifiedSchema(json: PositionedJson): Finding[] {
  const root = json.value as Record<string, unknown>;
  const declared = typeof root.manifestVersion === "string" ? root.manifestVersion : "";
  const findings: Finding[] = [];
  if (!declared) {
    findings.push(finding("error", "json-schema", "manifestVersion is missing; it names the unified manifest schema (1.17 or later for Outlook add-ins).", json.at("/manifestVersion")));
    return findings;
  }
  if (/^\d+\.\d+$/.test(declared) && compareVersions(declared, MIN_UNIFIED_VERSION) < 0) {
    findings.push(finding("error", "unified-version-too-old", `manifestVersion ${declared} cannot describe an Outlook add-in; use ${MIN_UNIFIED_VERSION} or later.`, json.at("/manifestVersion")));
  }
  const resolved = resolveSchemaVersion(declared);
  if (!resolved) {
    findings.push(finding("error", "unknown-manifest-version", `manifestVersion "${declared}" is not a published unified manifest schema version.`, json.at("/manifestVersion")));
    return findings;
  }
  if (!resolved.exact) {
    findings.push(finding("warning", "schema-version-substituted", `No schema for manifestVersion ${declared} is bundled; validated against ${resolved.version}.`, json.at("/manifestVersion")));
  }
  const validate = validatorFor(resolved.version);
  if (!validate(root)) {
    for (const e of collapse(validate.errors ?? [])) {
      const pointer = e.instancePath + (e.keyword === "additionalProperties" ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : "");
      findings.push(finding("error", "json-schema", describe(e), json.at(pointer)));
    }
  }
  return findings;
}

/** With allErrors, anyOf/oneOf produce a cascade; keep the innermost, most specific error per path. */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !["anyOf", "oneOf", "if"].includes(e.keyword));
  const seen = new Set<string>();
  return (specific.length ? specific : errors).filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the manifest";
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": return `${where} is missing the required property "${p.missingProperty}".`;
    case "additionalProperties": return `${where} has a property "${p.additionalProperty}" that the schema does not allow.`;
    case "pattern": return `${where} has the wrong format (it must match ${p.pattern}).`;
    case "enum": return `${where} must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`;
    case "type": return `${where} must be of type ${p.type}.`;
    case "maxLength": return `${where} is longer than ${p.limit} characters.`;
    case "minLength": return `${where} is shorter than ${p.limit} characters.`;
    case "maxItems": return `${where} has more than ${p.limit} entries.`;
    case "minItems": return `${where} needs at least ${p.limit} entries.`;
    case "uniqueItems": return `${where} has duplicate entries (${p.i} and ${p.j}).`;
    case "format": return `${where} is not a valid ${p.format}.`;
    default: return `${where} ${e.message ?? "is invalid"}.`;
  }
}
