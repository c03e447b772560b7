/** `outpost audit`: the lowest tier an add-in's code needs against what its manifest asks, with evidence. */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { AuditReport } from "../../audit/index.ts";
import { CliError, UsageError } from "../output.ts";

interface AuditOptions {
  code?: string[];
  trace?: string[];
  format?: string;
  json?: boolean;
  output?: string;
  failOn?: string;
  manifest?: string[];
  scopes?: string[];
}

const FORMATS = ["text", "json", "sarif"] as const;
const FAIL_ON = ["over", "under", "any"] as const;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Exit 1 when the verdict matches --fail-on (over, under, or any difference); errors in the input count for any. */
export function failsOn(report: AuditReport, failOn: string | undefined): boolean {
  if (!failOn) return false;
  const over = report.verdict === "over-privileged" || report.graph.verdict === "over-privileged";
  const under = report.verdict === "under-privileged" || report.graph.verdict === "under-privileged" || report.findings.some((f) => f.rule === "supplementary-missing" || f.rule === "graph-scope-missing");
  if (failOn === "over") return over;
  if (failOn === "under") return under;
  return over || under || report.findings.some((f) => f.level === "error");
}

export function registerAuditCommands(program: Command): void {
  program
    .command("audit")
    .description("Least-privilege audit: the lowest tier the add-in's code (static) and traces (dynamic) need, against the tier its manifest asks")
    .argument("<manifest...>", "the add-in's manifest; give its XML and unified JSON manifests together to compare them")
    .option("--code <dir|file>", "code to analyze: folders (js, ts, html) or files; repeatable", collect)
    .option("--trace <file>", "a trace: `outpost run --json` output, GET /bridge/sessions/:id/trace, or outpost/testing's result.trace; repeatable", collect)
    .option("--scopes <list>", "Graph scopes the add-in's app registration asks for (comma or space separated; the XML manifest's WebApplicationInfo is read too); repeatable", collect)
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "text")
    .option("--json", "same as --format json")
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("--fail-on <what>", `exit 1 when the add-in is ${FAIL_ON.join(" | ")} privileged (any: either, or an input error)`)
    .action(async (manifests: string[], opts: AuditOptions) => {
      const format = opts.json ? "json" : (opts.format ?? "text");
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not "${format}"`);
      if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, not "${opts.failOn}"`);
      if (manifests.length > 2) throw new UsageError(`give one manifest, or its XML and unified JSON pair; got ${manifests.length}`);
      // Loaded on use: the TypeScript compiler is large, and other commands need none of it.
      const { audit, formatText, ManifestError, toSarif } = await import("../../audit/index.ts");
      let report: AuditReport;
      try {
        const scopes = (opts.scopes ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
        report = await audit({ manifests, code: opts.code ?? [], traces: opts.trace ?? [], ...(scopes.length ? { scopes } : {}) });
      } catch (e) {
        if (e instanceof ManifestError) throw new CliError(e.message);
        throw e;
      }
      const text = format === "json" ? JSON.stringify(report, null, 2) + "\n" : format === "sarif" ? JSON.stringify(toSarif(report), null, 2) + "\n" : formatText(report);
      if (opts.output) {
        try {
          await writeFile(opts.output, text);
        } catch (e) {
          throw new CliError(`${opts.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
      } else process.stdout.write(text);
      if (failsOn(report, opts.failOn)) process.exitCode = 1;
    });
}
