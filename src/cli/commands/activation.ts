/** `outpost activation explain`: why an add-in does or doesn't activate on an item. */
import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import { parseManifestFile } from "../../manifest/parse.ts";
import { CLIENT_IDS, clientProfile, isClientId } from "../../activation/clients.ts";
import { evaluateActivation } from "../../activation/evaluate.ts";
import { formatExplanation } from "../../activation/explain.ts";
import { activationItemFromEml, activationItemFromText } from "../../activation/item-from-eml.ts";
import type { ActivationItem } from "../../activation/item.ts";
import { closeSharedRegexPool } from "../../activation/regex-pool.ts";
import { ACTIVATION_THRESHOLDS, resolveThresholds, ThresholdRangeError } from "../../activation/thresholds.ts";
import { CliError, UsageError, printJson } from "../output.ts";

const MAX_ITEM_BYTES = 50 * 1024 * 1024;

interface ExplainOptions {
  manifest: string;
  item: string;
  client: string;
  form: string;
  build?: string;
  threshold?: string;
  json?: boolean;
}

export function registerActivationCommands(program: Command): void {
  const activation = program.command("activation").description("Outlook's activation rules, limits and entities, per client");

  activation
    .command("explain")
    .description("Evaluate an add-in's activation rules on an item and say, per rule, why it is true or false")
    .requiredOption("--manifest <file>", "add-in manifest (.xml or .json)")
    .requiredOption("--item <file>", "the item: an .eml message (or a body-only .txt)")
    .option("--client <client>", `client profile: ${CLIENT_IDS.join(", ")}`, "web")
    .option("--form <form>", "read or compose", "read")
    .option("--build <build>", "client build to model (IRM and signed-item support depend on it)")
    .option("--threshold <ms>", `regex time budget, ActivationAlertThreshold (${ACTIVATION_THRESHOLDS.ActivationAlertThreshold.min}-${ACTIVATION_THRESHOLDS.ActivationAlertThreshold.max})`)
    .option("--json", 'print {"activated", "rules", "limits", …} as JSON')
    .action(async (opts: ExplainOptions) => {
      if (!isClientId(opts.client)) throw new UsageError(`--client must be one of ${CLIENT_IDS.join(", ")}, not "${opts.client}"`);
      if (opts.form !== "read" && opts.form !== "compose") throw new UsageError(`--form must be read or compose, not "${opts.form}"`);
      let thresholds;
      try {
        thresholds = resolveThresholds(opts.threshold !== undefined ? { alertThresholdMs: Number(opts.threshold) } : {});
      } catch (e) {
        if (e instanceof ThresholdRangeError) throw new UsageError(`--threshold: ${e.message}`);
        throw e;
      }
      const parsed = await parseManifestFile(opts.manifest);
      if (!parsed.manifest) {
        const first = parsed.findings.find((f) => f.severity === "error");
        const detail = first?.message ?? "not a manifest";
        throw new CliError(detail.includes(opts.manifest) ? detail : `${opts.manifest}${first?.line ? `:${first.line}` : ""}: ${detail}`);
      }
      const item = await readItem(opts.item);
      const client = clientProfile(opts.client, opts.build ? { build: opts.build } : {});
      try {
        const result = await evaluateActivation(parsed.manifest, item, { client, form: opts.form, thresholds });
        if (opts.json) {
          const { activated, rules, limits, ...rest } = result;
          printJson({ activated, rules, limits, ...rest });
        } else process.stdout.write(formatExplanation(result) + "\n");
        process.exitCode = 0;
      } finally {
        await closeSharedRegexPool();
      }
    });
}

async function readItem(path: string): Promise<ActivationItem> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new CliError(`${path}: not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}`);
  }
  if (size > MAX_ITEM_BYTES) throw new CliError(`${path}: ${size} bytes is larger than the ${MAX_ITEM_BYTES}-byte item limit`);
  const bytes = await readFile(path);
  if (path.toLowerCase().endsWith(".txt")) return activationItemFromText(bytes.toString("utf8"));
  try {
    return await activationItemFromEml(bytes);
  } catch (e) {
    throw new CliError(`${path}: not a readable message (${(e as Error).message})`);
  }
}
