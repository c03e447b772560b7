/**
 * What the manifest asks for: tier, supplementary permissions, the forms it runs in, the functions Outlook calls,
 * the activation rules that themselves need a tier — and, given an XML and a unified JSON manifest of one add-in,
 * every difference between them.
 */
import { readManifestAuth } from "../identity/manifest-auth.ts";
import { parseManifestFile, parseManifestText, type ParsedManifest } from "../manifest/parse.ts";
import type { AddinManifest, ExtensionPoint, Rule } from "../manifest/model.ts";
import type { Mode } from "../permissions/index.ts";
import type { DeclaredPermissions, Finding } from "./types.ts";

export interface LoadedManifest {
  declared: DeclaredPermissions;
  manifest: AddinManifest;
  /** Graph scopes from <WebApplicationInfo><Scopes> (XML; the unified manifest names none: they live in the app registration). */
  graphScopes: string[];
  /** Unknown scopes there, each naming its line. */
  scopeProblems: string[];
}

const READ_SURFACES = new Set(["MessageReadCommandSurface", "AppointmentAttendeeCommandSurface", "DetectedEntity", "MobileMessageReadCommandSurface", "ReportPhishingCommandSurface", "SpamReportingOverride", "MobileLogEventAppointmentAttendee"]);
const COMPOSE_SURFACES = new Set(["MessageComposeCommandSurface", "AppointmentOrganizerCommandSurface", "OnlineMeetingCommandSurface", "MobileOnlineMeetingCommandSurface"]);

export class ManifestError extends Error {}

export async function loadDeclared(file: string): Promise<LoadedManifest> {
  const parsed = await parseManifestFile(file);
  return loaded(file, parsed, parsed.text);
}

/** The same, from a manifest's text (a store submission: nothing on disk). */
export function loadDeclaredText(text: string, file: string): LoadedManifest {
  return loaded(file, parseManifestText(text, file), text);
}

function loaded(file: string, parsed: ParsedManifest, text: string | undefined): LoadedManifest {
  const manifest = parsed.manifest;
  if (!manifest) {
    const f = parsed.findings.find((x) => x.severity === "error") ?? parsed.findings[0];
    throw new ManifestError(`${file}${f?.line ? `:${f.line}` : ""}: ${f?.message ?? "not a readable manifest"}`);
  }
  let graphScopes: string[] = [];
  let scopeProblems: string[] = [];
  if (text !== undefined) {
    try {
      const auth = readManifestAuth(text, file);
      graphScopes = auth.scopes.filter((s) => !["openid", "profile", "email", "offline_access"].includes(s));
      scopeProblems = auth.problems;
    } catch {
      // Parsed above; a second reading that fails leaves the scopes empty.
    }
  }
  return {
    manifest,
    declared: { file, format: manifest.format, tier: manifest.tier, supplementary: [...manifest.supplementary].sort(), modes: declaredModes(manifest) },
    graphScopes,
    scopeProblems,
  };
}

function ruleModes(rule: Rule | undefined, out: Set<Mode>): void {
  if (!rule) return;
  if (rule.type === "RuleCollection") for (const r of rule.rules) ruleModes(r, out);
  else if (rule.type === "ItemIs") {
    if (rule.formType === "Edit") out.add("compose");
    else if (rule.formType === "ReadOrEdit") (out.add("read"), out.add("compose"));
    else out.add("read");
  } else out.add("read");
}

/** Read and/or compose, from the activation rules and the extension points; both when the manifest does not say. */
export function declaredModes(m: AddinManifest): Mode[] {
  const modes = new Set<Mode>();
  ruleModes(m.rules, modes);
  for (const ep of m.extensionPoints) {
    if (READ_SURFACES.has(ep.type)) modes.add("read");
    else if (COMPOSE_SURFACES.has(ep.type)) modes.add("compose");
    else if (ep.type === "LaunchEvent") for (const e of ep.events ?? []) modes.add(/Read|Selected/.test(e.type) ? "read" : "compose");
  }
  return modes.size ? (["read", "compose"] as Mode[]).filter((x) => modes.has(x)) : ["read", "compose"];
}

/** Functions Outlook calls by name: launch-event handlers and function commands. */
export function eventFunctions(m: AddinManifest): { launch: Set<string>; commands: Set<string> } {
  const launch = new Set<string>();
  const commands = new Set<string>();
  const controls = (list: ExtensionPoint["groups"][number]["controls"]): void => {
    for (const c of list) {
      if (c.action?.type === "ExecuteFunction" && c.action.functionName) commands.add(c.action.functionName);
      if (c.items) controls(c.items);
    }
  };
  for (const ep of m.extensionPoints) {
    for (const e of ep.events ?? []) if (e.functionName) launch.add(e.functionName);
    for (const g of ep.groups) controls(g.controls);
  }
  return { launch, commands };
}

export interface RuleNeed {
  /** Table row the rule is governed by (getRegExMatches for regex rules, attachments, getEntitiesByType). */
  member: string;
  entityType?: string;
  ruleType: string;
  line?: number;
  column?: number;
}

/** Activation rules that need a tier of their own (regular expressions, attachments, entities). */
export function ruleNeeds(m: AddinManifest): RuleNeed[] {
  const out: RuleNeed[] = [];
  const visit = (r: Rule | undefined): void => {
    if (!r) return;
    const pos = { ...(r.pos?.line ? { line: r.pos.line } : {}), ...(r.pos?.column ? { column: r.pos.column } : {}) };
    if (r.type === "RuleCollection") r.rules.forEach(visit);
    else if (r.type === "ItemHasRegularExpressionMatch") out.push({ member: "Office.context.mailbox.item.getRegExMatches", ruleType: r.type, ...pos });
    else if (r.type === "ItemHasAttachment") out.push({ member: "Office.context.mailbox.item.attachments", ruleType: r.type, ...pos });
    else if (r.type === "ItemHasKnownEntity") out.push({ member: "Office.context.mailbox.item.getEntitiesByType", entityType: r.entityType, ruleType: r.type, ...pos });
  };
  visit(m.rules);
  for (const ep of m.extensionPoints) visit(ep.rule);
  return out;
}

const epKey = (ep: ExtensionPoint): string => `${ep.type} (${ep.formFactor})`;
const eventKey = (e: { type: string; functionName: string; sendMode?: string }): string => `${e.type} → ${e.functionName}${e.sendMode ? ` (${e.sendMode})` : ""}`;

/** Every difference between two manifests of one add-in that bears on what it may do. */
export function compareManifests(a: LoadedManifest, b: LoadedManifest): Finding[] {
  const findings: Finding[] = [];
  const at = (l: LoadedManifest) => ({ file: l.declared.file });
  const diff = (what: string, av: string, bv: string): void => {
    findings.push({
      rule: "manifest-mismatch",
      level: "warning",
      message: `${what} differs: ${a.declared.file} (${a.declared.format}) says ${av || "(none)"}, ${b.declared.file} (${b.declared.format}) says ${bv || "(none)"}.`,
      manifest: at(b),
    });
  };
  if (a.manifest.id.toLowerCase() !== b.manifest.id.toLowerCase()) diff("The add-in id", a.manifest.id, b.manifest.id);
  if (a.declared.tier !== b.declared.tier) diff("The tier", a.declared.tier, b.declared.tier);
  const as = a.declared.supplementary.join(", ");
  const bs = b.declared.supplementary.join(", ");
  if (as !== bs) diff("Supplementary permissions", as, bs);
  const setDiff = (what: string, x: string[], y: string[]): void => {
    const xs = new Set(x);
    const ys = new Set(y);
    const onlyA = [...xs].filter((k) => !ys.has(k)).sort();
    const onlyB = [...ys].filter((k) => !xs.has(k)).sort();
    for (const k of onlyA) findings.push({ rule: "manifest-mismatch", level: "warning", message: `${what} ${k} is in ${a.declared.file} but not in ${b.declared.file}.`, manifest: at(b) });
    for (const k of onlyB) findings.push({ rule: "manifest-mismatch", level: "warning", message: `${what} ${k} is in ${b.declared.file} but not in ${a.declared.file}.`, manifest: at(b) });
  };
  setDiff("Extension point", a.manifest.extensionPoints.map(epKey), b.manifest.extensionPoints.map(epKey));
  setDiff(
    "Event",
    a.manifest.extensionPoints.flatMap((ep) => (ep.events ?? []).map(eventKey)),
    b.manifest.extensionPoints.flatMap((ep) => (ep.events ?? []).map(eventKey)),
  );
  return findings;
}
