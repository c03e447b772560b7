/** Shared helpers of the auditor's tests: fixture paths and the `// expect:` markers written in fixture code. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { AuditReport, Evidence } from "../../src/audit/index.ts";

export const FIXTURES = "test/audit/fixtures";

export interface Marker {
  file: string;
  line: number;
  tier: string;
  /** Member as the text report shows it (`item.body.getAsync`), or `REST …` for a request. */
  what: string;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** `// expect: ReadItem item.subject` (or `<!-- expect: … -->`) on a line: evidence of that tier and member there. */
export function markers(dir: string): { expects: Marker[]; unresolved: { file: string; line: number }[] } {
  const expects: Marker[] = [];
  const unresolved: { file: string; line: number }[] = [];
  for (const f of files(dir)) {
    if (!/\.(js|ts|html)$/.test(f)) continue;
    const rel = relative(process.cwd(), f);
    readFileSync(f, "utf8")
      .split("\n")
      .forEach((text, i) => {
        const at = text.indexOf("expect: ");
        if (at >= 0) {
          const [tier, ...rest] = text.slice(at + 8).replace(/\s*-->.*$/, "").trim().split(/\s+/);
          expects.push({ file: rel, line: i + 1, tier, what: rest.join(" ") });
        }
        if (text.includes("// unresolved:")) unresolved.push({ file: rel, line: i + 1 });
      });
  }
  return { expects, unresolved };
}

export function shortMember(path: string): string {
  return path.startsWith("Office.context.mailbox.") ? path.slice("Office.context.mailbox.".length) : path.replace(/^Office\.context\./, "");
}

/** The evidence a marker describes, if the report holds it. */
export function evidenceFor(report: AuditReport, m: Marker): Evidence | undefined {
  return report.evidence.find((e) => {
    if (!e.location || e.location.file !== m.file || e.location.line !== m.line || e.tier !== m.tier) return false;
    if (m.what.startsWith("REST")) return e.kind === "rest";
    return shortMember(e.member) === m.what.split(" ")[0];
  });
}
