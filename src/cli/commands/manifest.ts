/** `outpost manifest validate | info | convert | explain`. */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { formatFinding } from "../../manifest/findings.ts";
import { validateManifestFile, type ValidationResult } from "../../manifest/validate.ts";
import { summarizeManifest, formatSummary } from "../../manifest/summary.ts";
import { convertValidated } from "../../manifest/convert-validated.ts";
import { explainManifest, formatExplanation } from "../../manifest/explain.ts";
import { CliError, UsageError, printJson } from "../output.ts";

export function registerManifestCommands(program: Command): void {
  const manifest = program.command("manifest").description("Read, validate, convert and explain add-in manifests (XML and unified JSON)");

  manifest
    .command("validate")
    .description("Validate manifests offline: schema, then Outlook's rules. Exit 0 when all are valid, 1 when any is invalid")
    .argument("<file...>", "manifest files (.xml or .json)")
    .option("--json", "one JSON object per file, one per line")
    .action(async (files: string[], opts: { json?: boolean }) => {
      let allValid = true;
      for (const file of files) {
        // One file that breaks the validator must not lose the rest of the batch: it gets a finding instead.
        const r = await validateManifestFile(file).catch(
          (e: unknown): ValidationResult => ({ file, valid: false, byteLength: 0, findings: [{ severity: "error", code: "validator-failed", message: `The validator could not finish this file (${e instanceof Error ? e.message.slice(0, 200) : "error"}).` }] }),
        );
        allValid &&= r.valid;
        if (opts.json) printJson(validateJson(file, r));
        else printValidation(file, r);
      }
      process.exitCode = allValid ? 0 : 1;
    });

  manifest
    .command("info")
    .description("The normalized model in brief")
    .argument("<file>")
    .option("--json", "print the normalized model as JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await requireModel(file);
      if (opts.json) printJson({ file, valid: r.valid, manifest: r.manifest, findings: r.findings });
      else process.stdout.write(formatSummary(summarizeManifest(r.manifest!)));
    });

  manifest
    .command("convert")
    .description("Convert between the XML and unified JSON formats; reports everything that could not be carried")
    .argument("<file>")
    .requiredOption("--to <format>", "json or xml")
    .option("-o, --out <file>", "write the converted manifest here instead of standard output")
    .option("--json", "print {output, notes, valid, findings} as JSON")
    .action(async (file: string, opts: { to: string; out?: string; json?: boolean }) => {
      if (opts.to !== "json" && opts.to !== "xml") throw new UsageError(`--to must be json or xml, not "${opts.to}"`);
      const r = await requireModel(file);
      if (r.manifest!.format === opts.to) throw new UsageError(`${file} is already a ${opts.to.toUpperCase()} manifest`);
      const c = convertValidated(r.manifest!, opts.to);
      if (opts.out) await writeFile(opts.out, c.output);
      if (opts.json) printJson({ file, to: opts.to, out: opts.out, output: opts.out ? undefined : c.output, notes: c.notes, valid: c.valid, findings: c.findings });
      else {
        if (!opts.out) process.stdout.write(c.output);
        for (const n of c.notes) process.stderr.write(`${n.kind === "dropped" ? "not carried" : "changed"}: ${n.field}: ${n.message}\n`);
        for (const f of c.findings) process.stderr.write(`${formatFinding(opts.out ?? "(output)", f)}\n`);
        if (opts.out) process.stderr.write(`wrote ${opts.out} (${c.valid ? "valid" : "INVALID"}; ${c.notes.length} note(s))\n`);
      }
      process.exitCode = c.valid ? 0 : 1;
    });

  manifest
    .command("explain")
    .description("What the add-in may do to a mailbox, in plain words")
    .argument("<file>")
    .option("--json")
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await requireModel(file);
      const e = explainManifest(r.manifest!);
      if (opts.json) printJson({ file, valid: r.valid, ...e });
      else process.stdout.write(formatExplanation(e));
    });
}

function validateJson(file: string, r: ValidationResult) {
  return { file, valid: r.valid, tier: reportedTier(r), findings: r.findings };
}

/** The canonical tier; for a non-mail manifest, the raw value it declares (e.g. ReadWriteDocument). */
function reportedTier(r: ValidationResult): string | null {
  const m = r.manifest;
  if (!m) return null;
  if (m.declaredTiers.length || !m.permissionNames.length) return m.tier;
  return m.permissionNames[0];
}

function printValidation(file: string, r: ValidationResult): void {
  const errors = r.findings.filter((f) => f.severity === "error").length;
  const warnings = r.findings.length - errors;
  for (const f of r.findings) process.stdout.write(`${formatFinding(file, f)}\n`);
  const tier = reportedTier(r);
  process.stdout.write(`${file}: ${r.valid ? "valid" : "INVALID"}${tier ? ` (${tier})` : ""} — ${errors} error(s), ${warnings} warning(s)\n`);
}

async function requireModel(file: string): Promise<ValidationResult> {
  const r = await validateManifestFile(file);
  if (!r.manifest) {
    for (const f of r.findings) process.stderr.write(`${formatFinding(file, f)}\n`);
    throw new CliError(`${file} could not be read as a manifest`);
  }
  return r;
}
