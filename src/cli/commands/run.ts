/** `outpost run`: run an add-in's code headless against an item, under its tier, and print the trace. */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CLIENT_IDS, isClientId } from "../../activation/clients.ts";
import { parseManifestFile } from "../../manifest/parse.ts";
import { parseTier, TIERS, type Tier } from "../../permissions/index.ts";
import { EntryError, readEntry } from "../../runtime/entry.ts";
import { runHeadless } from "../../runtime/headless.ts";
import { RuntimeHost } from "../../runtime/host.ts";
import { inProcessEws } from "../../testing/ews.ts";
import { CliError, UsageError, printJson } from "../output.ts";

interface RunOptions {
  manifest: string;
  item: string;
  form: string;
  client: string;
  tier?: string;
  json?: boolean;
  memory?: string;
}

const MAX_ITEM_BYTES = 50 * 1024 * 1024;

export function registerRunCommands(program: Command): void {
  program
    .command("run")
    .description("Run an add-in's page or script headless (isolated-vm) against an item, enforcing its tier, and print every Office.js call")
    .argument("<entry>", "the add-in's .html page (inline and same-folder scripts run in order) or a .js file")
    .requiredOption("--manifest <file>", "add-in manifest (.xml or .json): id, tier, supplementary permissions, regexes")
    .requiredOption("--item <file>", "the item: an .eml message")
    .option("--form <form>", "read or compose", "read")
    .option("--client <client>", `client profile: ${CLIENT_IDS.join(", ")}`, "web")
    .option("--tier <tier>", `override the manifest's tier: ${TIERS.join(", ")}`)
    .option("--memory <mb>", "sandbox heap limit in MB", "64")
    .option("--json", 'print {"trace": [...], "governance": [...]}')
    .action(async (entry: string, opts: RunOptions) => {
      if (opts.form !== "read" && opts.form !== "compose") throw new UsageError(`--form must be read or compose, not "${opts.form}"`);
      if (!isClientId(opts.client)) throw new UsageError(`--client must be one of ${CLIENT_IDS.join(", ")}, not "${opts.client}"`);
      const tierOverride: Tier | undefined = opts.tier === undefined ? undefined : parseTier(opts.tier);
      if (opts.tier !== undefined && !tierOverride) throw new UsageError(`--tier must be one of ${TIERS.join(", ")}, not "${opts.tier}"`);
      const memoryMb = Number(opts.memory);
      if (!Number.isInteger(memoryMb) || memoryMb < 8 || memoryMb > 2048) throw new UsageError(`--memory must be an integer from 8 to 2048, not "${opts.memory}"`);
      const parsed = await parseManifestFile(opts.manifest);
      const manifest = parsed.manifest;
      if (!manifest) {
        const f = parsed.findings.find((x) => x.severity === "error") ?? parsed.findings[0];
        throw new CliError(`${opts.manifest}${f?.line ? `:${f.line}` : ""}: ${f?.message ?? "not a readable manifest"}`);
      }
      let eml: Buffer;
      try {
        eml = await readFile(opts.item);
      } catch (e) {
        throw new CliError(`${opts.item}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
      }
      if (eml.length > MAX_ITEM_BYTES) throw new CliError(`${opts.item}: larger than ${MAX_ITEM_BYTES} bytes`);
      let scripts;
      try {
        scripts = await readEntry(entry);
      } catch (e) {
        if (e instanceof EntryError) throw new CliError(e.message);
        throw e;
      }
      const host = await RuntimeHost.create();
      const ews = inProcessEws(host.store);
      host.ews = ews.ews;
      try {
        const { user, mailbox } = await host.provisionUser();
        const item = await host.importEml(mailbox, eml, opts.form === "compose" ? "drafts" : "inbox").catch((e: Error) => {
          throw new CliError(`${opts.item}: ${e.message}`);
        });
        const result = await runHeadless({
          host,
          user,
          mailbox,
          item,
          scripts,
          addinId: manifest.id,
          addinName: manifest.name.value,
          tier: tierOverride ?? manifest.tier,
          supplementary: manifest.supplementary,
          form: opts.form,
          client: opts.client,
          manifest,
          limits: { memoryMb },
        });
        if (opts.json) {
          printJson({
            trace: result.trace.map((t) => ({ member: t.member, outcome: t.outcome, code: t.code, ms: t.ms })),
            governance: result.governance.map((g) => ({ event: g.event, detail: g.text ?? g.detail })),
          });
        } else {
          for (const t of result.trace) process.stdout.write(`${t.outcome.padEnd(6)} ${String(t.code).padStart(4)} ${t.ms.toFixed(2).padStart(8)} ms  ${t.member}(${t.args})\n`);
          for (const line of result.console) process.stdout.write(`console: ${line}\n`);
          for (const g of result.governance) process.stdout.write(`governance: ${g.event}: ${g.text ?? g.detail}\n`);
          process.stdout.write(`${result.trace.length} calls, ${result.trace.filter((t) => t.outcome === "denied").length} denied, ${result.trace.filter((t) => t.outcome === "failed").length} failed\n`);
        }
        if (result.disabled) process.exitCode = 1;
      } finally {
        await ews.close();
        await host.close();
      }
    });
}
