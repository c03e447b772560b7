/** Human-readable explanation of an ActivationResult: one line per rule, then limits and the verdict. */
import type { ActivationResult } from "./result.ts";

const MAX_SHOWN = 5;

function quoteList(values: string[]): string {
  const shown = values.slice(0, MAX_SHOWN).map((v) => JSON.stringify(v.length > 80 ? v.slice(0, 77) + "…" : v));
  return shown.join(", ") + (values.length > MAX_SHOWN ? ` and ${values.length - MAX_SHOWN} more` : "");
}

export function formatExplanation(result: ActivationResult): string {
  const out: string[] = [];
  out.push(`${result.addinName} (${result.addinId}) on ${result.client}, ${result.form} form`);
  if (result.rules.length === 0) out.push("  (no activation rules)");
  let scope = "";
  for (const rule of result.rules) {
    const s = rule.path.split("/")[0];
    if (s !== scope) {
      scope = s;
      out.push(`  ${s}:`);
    }
    const mark = rule.value ? "true " : "false";
    let line = `${"  ".repeat(rule.depth + 2)}[${mark}] ${rule.summary}`;
    if (rule.pos?.line) line += `  (line ${rule.pos.line})`;
    out.push(line);
    const pad = "  ".repeat(rule.depth + 3) + "       ";
    if (rule.matched?.length) out.push(`${pad}matched: ${quoteList(rule.matched)}`);
    if (rule.reason && !rule.matched?.length) out.push(`${pad}${rule.reason}`);
    if (rule.limits?.length) out.push(`${pad}limit: ${rule.limits.join(", ")}`);
  }
  for (const c of result.contextual) out.push(`  contextual ${c.extensionPoint}: ${c.activated ? "active" : "inactive"}`);
  if (result.limits.length) {
    out.push("  limits:");
    for (const l of result.limits) out.push(`    - ${l.kind}${l.rule ? ` [${l.rule}]` : ""}: ${l.message}`);
  }
  if (result.warnings.length) {
    out.push("  warnings:");
    for (const w of result.warnings) out.push(`    - ${w}`);
  }
  out.push(`  verdict: ${result.verdict}`);
  return out.join("\n");
}
