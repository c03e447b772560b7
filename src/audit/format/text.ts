/** The report for people: verdict first, then the evidence grouped by member, then everything else found. */
import { short } from "../audit.ts";
import { graphCallWhere, graphSummary } from "../graph.ts";
import type { AuditReport, Evidence } from "../types.ts";

function where(e: Evidence): string {
  if (e.location) return `${e.location.file}:${e.location.line}:${e.location.column}`;
  if (e.trace) return `trace ${e.trace.file} #${e.trace.index + 1}${e.trace.outcome ? ` ${e.trace.outcome}` : ""}${e.trace.code ? ` ${e.trace.code}` : ""}`;
  return "";
}

export function formatText(report: AuditReport): string {
  const out: string[] = [];
  const supp = (s: string[]) => (s.length ? ` + ${s.join(", ")}` : "");
  const verdict =
    report.verdict === "exact"
      ? "exact"
      : report.verdict === "over-privileged"
        ? `OVER-PRIVILEGED by ${report.levels} level${report.levels === 1 ? "" : "s"}`
        : `UNDER-PRIVILEGED by ${-report.levels} level${report.levels === -1 ? "" : "s"}`;
  out.push(`${report.manifests[0].file}: asks ${report.declared.tier}${supp(report.declared.supplementary)}, needs ${report.needed.tier}${supp(report.needed.supplementary)} — ${verdict}`);
  if (report.basis.length === 1) out.push("  (manifest only: give --code and/or --trace for a verdict on what the add-in does)");
  if (report.failure) out.push(`  at ${report.declared.tier}, ${short(report.failure.member)} fails: ${report.failure.code} ${report.failure.name}, ${report.failure.surface}`);
  const g = report.graph;
  if (g.verdict !== "none" || g.requested.length) {
    out.push(`Graph scopes: ${graphSummary(g)}${g.requestedFrom.length ? ` (requested in: ${g.requestedFrom.join(", ")})` : ""}`);
    for (const x of g.excess) out.push(`  ${x.scope}: ${x.instead ? `${x.instead} is enough` : "no call needs it"}`);
    for (const m of g.missing) out.push(`  missing ${m.needs}: ${m.call}`);
  }
  const groups = new Map<string, Evidence[]>();
  for (const e of report.evidence) {
    const k = `${e.tier}\u0000${e.member}\u0000${e.kind === "rest" || e.kind === "ews" ? e.touched : ""}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(e);
  }
  const order = ["ReadWriteMailbox", "ReadWriteItem", "ReadItem", "Restricted"];
  const keys = [...groups.keys()].sort((a, b) => order.indexOf(a.split("\u0000")[0]) - order.indexOf(b.split("\u0000")[0]) || a.localeCompare(b));
  if (keys.length) out.push("", "evidence:");
  for (const k of keys) {
    const list = groups.get(k)!;
    const e = list[0];
    const sources = [...new Set(list.map((x) => x.source))].join("+");
    const caught = list.every((x) => x.guard) ? " (caught: not counted)" : "";
    out.push(`  ${e.tier.padEnd(16)} ${short(e.member)}${e.supplementary.length ? ` + ${e.supplementary.join(", ")}` : ""}  [${sources}]${caught}${e.note ? `  ${e.note}` : ""}`);
    for (const x of list.slice(0, 6)) out.push(`      ${where(x)}${x.location?.text ? `  ${x.location.text}` : ""}${x.touched && x.touched !== x.member ? `  (${short(x.touched)})` : ""}`);
    if (list.length > 6) out.push(`      … ${list.length - 6} more`);
  }
  if (g.calls.length) out.push("", "graph calls:");
  for (const c of g.calls) out.push(`  ${(c.needs ?? "?").padEnd(16)} ${c.method} ${c.url}${c.operation ? `  [${c.operation}${c.mailbox === "other" ? ", another mailbox" : ""}]` : "  (not a known route)"}${c.guard ? " (caught: not counted)" : ""}\n      ${graphCallWhere(c)}${c.location?.text ? `  ${c.location.text}` : ""}`);
  const rest = report.findings.filter((f) => f.rule !== "graph-call" || f.level !== "note").filter((f) => f.rule !== "member-use" && f.rule !== "exact" && f.rule !== "over-privileged" && f.rule !== "under-privileged");
  if (rest.length) out.push("", "findings:");
  for (const f of rest) {
    const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}: ` : f.manifest ? `${f.manifest.file}: ` : "";
    out.push(`  ${f.level.padEnd(7)} ${f.rule}: ${at}${f.message}`);
  }
  const s = report.stats;
  out.push("", `${s.files} file${s.files === 1 ? "" : "s"} (${(s.bytes / 1024).toFixed(1)} KB), ${s.traceEntries} trace entr${s.traceEntries === 1 ? "y" : "ies"}, ${s.ms} ms`);
  return out.join("\n") + "\n";
}
