/**
 * The auditor's static verdict on a submitted package — a manifest's text and, optionally, the add-in's code as
 * files in memory (a store submission has nothing on disk) — and the short, stable form of that verdict the store
 * keeps with an archived version and the admin center and consent dialog show.
 *
 * What "the code" is for a submission: the files the publisher sends with it (a bundle or a folder's files). Code the
 * manifest loads from its HTTPS source locations is not fetched (that is the network, and it can change after the
 * review); without files the verdict rests on the manifest alone (its rules and WebApplicationInfo) and says so.
 */
import { createHash } from "node:crypto";
import { extname } from "node:path";
import { AUDITOR_VERSION, judge } from "./audit.ts";
import { eventFunctions, loadDeclaredText } from "./declared.ts";
import { graphSummary } from "./graph.ts";
import { isCodeFile, inlineScripts, type CodeUnit } from "./sources.ts";
import { analyzeUnits } from "./static/analyze.ts";
import type { AuditReport, Finding, Verdict } from "./types.ts";
import type { Supplementary, Tier } from "../permissions/index.ts";
import type { PackageFile } from "./package-files.ts";

export { checkPackage, PackageError, PACKAGE_LIMITS, type PackageFile } from "./package-files.ts";

/** Program names live under a root of their own: nothing on this machine is read, and imports between files resolve. */
const ROOT = "/__package__/";

function unitsOf(files: readonly PackageFile[], findings: Finding[]): CodeUnit[] {
  const units: CodeUnit[] = [];
  for (const f of files) {
    if (!isCodeFile(f.path)) continue;
    if (f.text.includes("\u0000")) {
      findings.push({ rule: "unreadable-input", level: "error", message: `${f.path}: binary content (NUL bytes), not JavaScript; not audited.`, location: { file: f.path, line: 1, column: 1 } });
      continue;
    }
    const text = f.text.replace(/^\uFEFF/, "");
    const ext = extname(f.path).toLowerCase();
    if (ext === ".html" || ext === ".htm") {
      for (const u of inlineScripts(f.path, text)) units.push({ ...u, file: f.path, programName: `${ROOT}${f.path}.inline-${units.length + 1}.js` });
    } else units.push({ file: f.path, programName: `${ROOT}${f.path}`, text, lineOffset: 0, columnOffset: 0, bytes: Buffer.byteLength(f.text) });
  }
  return units;
}

/** The static audit of a package: the manifest (declared + rules + WebApplicationInfo) and, when given, its code. */
export function auditPackage(manifest: { text: string; file: string }, code?: readonly PackageFile[]): AuditReport {
  const started = performance.now();
  const loaded = [loadDeclaredText(manifest.text, manifest.file)];
  const findings: Finding[] = [];
  let units: CodeUnit[] = [];
  let staticResult;
  if (code?.length) {
    units = unitsOf(code, findings);
    staticResult = analyzeUnits(units, eventFunctions(loaded[0]!.manifest));
  }
  const report = judge(loaded, staticResult, [], findings);
  report.stats = { files: new Set(units.map((u) => u.file)).size, bytes: units.reduce((n, u) => n + u.bytes, 0), traces: 0, traceEntries: 0, ms: Math.round((performance.now() - started) * 10) / 10 };
  return report;
}

/** The verdict as the store keeps it with a version: small, stable, readable without the auditor. */
export interface StoredVerdict {
  auditor: string;
  at: string;
  /** `static`: code was submitted and read; `manifest`: no code, the manifest's rules only. */
  basis: "static" | "manifest";
  code: { files: number; bytes: number; sha256: string } | null;
  verdict: Verdict;
  levels: number;
  declared: { tier: Tier; supplementary: Supplementary[] };
  needed: { tier: Tier; supplementary: Supplementary[] };
  /** One line for people. */
  summary: string;
  note?: string;
  /** What Outlook answers the first use above the declared tier (under-privileged). */
  failure?: { member: string; code: number; name: string };
  /** The evidence for the needed tier (up to 5): member and where. */
  evidence: { member: string; tier: Tier; where: string }[];
  graph: { verdict: AuditReport["graph"]["verdict"]; requested: string[]; needed: string[]; summary: string };
  findings: { errors: number; warnings: number; legacyTokens: number; unresolved: number };
  ms: number;
}

const short = (p: string) => p.replace(/^Office\.context\.mailbox\./, "").replace(/^Office\.context\./, "");

export function storedVerdict(report: AuditReport, code: readonly PackageFile[] | undefined): StoredVerdict {
  const basis = report.basis.includes("static") ? "static" : "manifest";
  const hash = createHash("sha256");
  for (const f of [...(code ?? [])].sort((a, b) => a.path.localeCompare(b.path))) hash.update(`${f.path}\u0000${Buffer.byteLength(f.text)}\u0000`).update(f.text);
  const v = report.verdict;
  const word = v === "exact" ? "exact" : `${v} by ${Math.abs(report.levels)} level${Math.abs(report.levels) === 1 ? "" : "s"}`;
  const what = basis === "static" ? "the code needs" : "its activation rules need";
  const top = report.evidence.filter((e) => !e.guard && e.tier === report.needed.tier).slice(0, 5);
  return {
    auditor: report.tool.version,
    at: new Date().toISOString(),
    basis,
    // The package as submitted (every file, also those that hold no code), identified by its hash.
    code: code?.length ? { files: code.length, bytes: code.reduce((n, f) => n + Buffer.byteLength(f.text), 0), sha256: hash.digest("hex") } : null,
    verdict: v,
    levels: report.levels,
    declared: report.declared,
    needed: report.needed,
    summary: `asks ${report.declared.tier}, ${what} ${report.needed.tier} — ${word}`,
    ...(basis === "manifest" ? { note: "manifest only: no code was submitted, so the verdict rests on the manifest's rules alone (code loaded from the add-in's web server is not fetched)" } : {}),
    ...(report.failure ? { failure: { member: report.failure.member, code: report.failure.code, name: report.failure.name } } : {}),
    evidence: top.map((e) => ({ member: short(e.member), tier: e.tier, where: e.location ? `${e.location.file}:${e.location.line}:${e.location.column}` : e.note ?? e.source })),
    graph: { verdict: report.graph.verdict, requested: report.graph.requested, needed: report.graph.needed, summary: graphSummary(report.graph) },
    findings: {
      errors: report.findings.filter((f) => f.level === "error").length,
      warnings: report.findings.filter((f) => f.level === "warning").length,
      legacyTokens: report.findings.filter((f) => f.rule === "legacy-token").length,
      unresolved: report.findings.filter((f) => f.rule === "unresolved-member").length,
    },
    ms: report.stats.ms,
  };
}

/** One line: "over-privileged by 2 levels (asks ReadWriteMailbox, the code needs ReadItem)". */
export function verdictLine(v: StoredVerdict | null | undefined): string {
  if (!v) return "not audited";
  return `${v.summary}${v.basis === "manifest" ? " (manifest only)" : ""}${v.graph.verdict !== "none" ? `; Graph: ${v.graph.summary}` : ""}`;
}

export { AUDITOR_VERSION };
