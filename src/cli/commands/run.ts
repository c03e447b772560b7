/**
 * `outpost run`: run an add-in's page or script against an item, under its tier, and print every Office.js call.
 * Pages run in the browser runtime (Chromium), scripts in the JavaScript-only runtime (isolated-vm); `--invoke`
 * runs a function command or fires a launch event.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Command } from "commander";
import { CLIENT_IDS, isClientId } from "../../activation/clients.ts";
import type { Item } from "../../mailbox/index.ts";
import { parseManifestFile } from "../../manifest/parse.ts";
import { EXCHANGE_ONLINE_POLICY, ON_PREMISES_POLICY, parseTier, TIERS, type Tier } from "../../permissions/index.ts";
import { MapError, parseMap, type UrlMapEntry } from "../../runtime/browser/url-map.ts";
import { EntryError } from "../../runtime/entry.ts";
import { InvokeError, LAUNCH_EVENTS, resolveInvocation, type Invocation } from "../../runtime/events.ts";
import { IcsError, parseIcs } from "../../runtime/ics.ts";
import { RuntimeHost } from "../../runtime/host.ts";
import { defaultRuntime, runAddin, type RuntimeKind } from "../../runtime/run-addin.ts";
import { inProcessEws } from "../../testing/ews.ts";
import { CliError, UsageError, printJson } from "../output.ts";

interface RunOptions {
  manifest: string;
  item: string;
  itemType?: string;
  form?: string;
  client: string;
  tier?: string;
  json?: boolean;
  memory?: string;
  runtime?: string;
  invoke?: string;
  exchange: string;
  root?: string;
  map: string[];
  network?: boolean;
  timeout?: string;
}

const MAX_ITEM_BYTES = 50 * 1024 * 1024;

export function registerRunCommands(program: Command): void {
  program
    .command("run")
    .description("Run an add-in's page (browser runtime: Chromium) or script (JavaScript-only runtime: isolated-vm) against an item, enforcing its tier, and print every Office.js call")
    .argument("<entry>", "the add-in's .html page, or the .js file of its function file / event runtime")
    .requiredOption("--manifest <file>", "add-in manifest (.xml or .json): id, tier, supplementary permissions, regexes, launch events")
    .option("--item <file|none>", "the item: an .eml message, an .ics appointment, or none (item-less, e.g. a Module extension)", "none")
    .option("--item-type <type>", "message or appointment (an .eml read as an appointment keeps its subject and text)")
    .option("--form <form>", "read or compose (default: read; compose for a compose launch event)")
    .option("--client <client>", `client profile: ${CLIENT_IDS.join(", ")}`, "web")
    .option("--tier <tier>", `override the manifest's tier: ${TIERS.join(", ")}`)
    .option("--runtime <runtime>", "browser (pages, default for .html) or js (JavaScript-only, default for .js)")
    .option("--invoke <name>", "run a function command (FunctionName) or fire a launch event (OnMessageSend, OnNewMessageCompose, …)")
    .option("--exchange <kind>", "online (legacy Exchange tokens off) or on-premises (on)", "online")
    .option("--root <dir>", "browser runtime: the folder served as the add-in's origin (default: the manifest's folder)")
    .option("--map <prefix=path>", "serve a remote URL prefix from a local file or folder (repeatable), e.g. https://code.jquery.com/jquery-3.7.1.min.js=vendor/jquery.js", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--network", "browser runtime: fetch unmapped remote URLs instead of refusing them")
    .option("--timeout <ms>", "browser runtime: wall-clock cap of the run", "15000")
    .option("--memory <mb>", "JavaScript-only runtime: heap limit in MB", "64")
    .option("--json", 'print {"trace": [...], "console": [...], "governance": [...], …}')
    .action(async (entry: string, opts: RunOptions) => {
      if (opts.form !== undefined && opts.form !== "read" && opts.form !== "compose") throw new UsageError(`--form must be read or compose, not "${opts.form}"`);
      if (!isClientId(opts.client)) throw new UsageError(`--client must be one of ${CLIENT_IDS.join(", ")}, not "${opts.client}"`);
      const tierOverride: Tier | undefined = opts.tier === undefined ? undefined : parseTier(opts.tier);
      if (opts.tier !== undefined && !tierOverride) throw new UsageError(`--tier must be one of ${TIERS.join(", ")}, not "${opts.tier}"`);
      const memoryMb = Number(opts.memory);
      if (!Number.isInteger(memoryMb) || memoryMb < 8 || memoryMb > 2048) throw new UsageError(`--memory must be an integer from 8 to 2048, not "${opts.memory}"`);
      const runMs = Number(opts.timeout);
      if (!Number.isInteger(runMs) || runMs < 100 || runMs > 3_600_000) throw new UsageError(`--timeout must be a number of milliseconds from 100 to 3600000, not "${opts.timeout}"`);
      if (opts.runtime !== undefined && opts.runtime !== "browser" && opts.runtime !== "js") throw new UsageError(`--runtime must be browser or js, not "${opts.runtime}"`);
      if (opts.exchange !== "online" && opts.exchange !== "on-premises") throw new UsageError(`--exchange must be online or on-premises, not "${opts.exchange}"`);
      if (opts.itemType !== undefined && opts.itemType !== "message" && opts.itemType !== "appointment") throw new UsageError(`--item-type must be message or appointment, not "${opts.itemType}"`);
      const runtime: RuntimeKind = (opts.runtime as RuntimeKind | undefined) ?? defaultRuntime(entry);
      const maps: UrlMapEntry[] = [];
      for (const m of opts.map) {
        try {
          maps.push(await parseMap(m));
        } catch (e) {
          if (e instanceof MapError) throw new UsageError(e.message);
          throw e;
        }
      }
      const parsed = await parseManifestFile(opts.manifest);
      const manifest = parsed.manifest;
      if (!manifest) {
        const f = parsed.findings.find((x) => x.severity === "error") ?? parsed.findings[0];
        throw new CliError(`${opts.manifest}${f?.line ? `:${f.line}` : ""}: ${f?.message ?? "not a readable manifest"}`);
      }
      let invocation: Invocation | undefined;
      if (opts.invoke) {
        try {
          invocation = resolveInvocation(manifest, opts.invoke);
        } catch (e) {
          if (e instanceof InvokeError) throw new CliError(`--invoke ${opts.invoke}: ${e.message}`);
          throw e;
        }
      }
      const eventDef = invocation?.eventType ? LAUNCH_EVENTS[invocation.eventType] : undefined;
      const form = (opts.form as "read" | "compose" | undefined) ?? (eventDef?.compose ? "compose" : "read");
      const itemBytes = opts.item === "none" ? undefined : await readItemFile(opts.item);

      const host = await RuntimeHost.create();
      const ews = inProcessEws(host.store);
      host.ews = ews.ews;
      try {
        const { user, mailbox } = await host.provisionUser();
        const itemType = opts.itemType ?? (extname(opts.item).toLowerCase() === ".ics" ? "appointment" : eventDef?.item ?? "message");
        let item: Item | null = null;
        if (itemBytes) item = await loadItem(host, mailbox, opts.item, itemBytes, itemType, form);
        else if (opts.itemType || (eventDef?.compose && form === "compose")) {
          // A compose event on a new item, or an explicit item type: an empty item of that type.
          item = await host.createItem(mailbox, itemType === "appointment" ? { itemType: "appointment", itemClass: "IPM.Appointment", subject: "", start: new Date(Date.now() + 86_400_000), end: new Date(Date.now() + 90_000_000), isDraft: form === "compose" } : { subject: "", bodyText: "", isDraft: form === "compose" }, itemType === "appointment" ? "calendar" : form === "compose" ? "drafts" : "inbox");
        }
        const result = await runAddin({
          host,
          user,
          mailbox,
          item,
          entry,
          addinId: manifest.id,
          addinName: manifest.name.value,
          tier: tierOverride ?? manifest.tier,
          supplementary: manifest.supplementary,
          form,
          client: opts.client,
          tenant: opts.exchange === "on-premises" ? ON_PREMISES_POLICY : EXCHANGE_ONLINE_POLICY,
          manifest,
          manifestPath: opts.manifest,
          runtime,
          ...(invocation ? { invoke: invocation } : {}),
          ...(opts.root ? { root: opts.root } : {}),
          maps,
          network: opts.network === true,
          limits: { memoryMb },
          runMs,
        }).catch((e: unknown) => {
          if (e instanceof EntryError || e instanceof MapError) throw new CliError(e.message);
          throw e;
        });
        if (opts.json) {
          printJson({
            runtime: result.runtime,
            trace: result.trace.map((t) => ("where" in t ? { member: t.member, outcome: t.outcome, where: "page", message: t.message } : { member: t.member, outcome: t.outcome, code: t.code, ms: t.ms, where: "server" })),
            console: result.console,
            governance: result.governance.map((g) => ({ event: g.event, detail: g.text ?? g.detail })),
            ...(result.crash ? { crash: result.crash } : {}),
            ...(result.completion ? { completion: result.completion } : {}),
            ...(result.smartAlert ? { smartAlert: result.smartAlert } : {}),
            ...(result.requestErrors?.length ? { requestErrors: result.requestErrors } : {}),
          });
        } else {
          for (const t of result.trace) {
            if ("where" in t) process.stdout.write(`${"denied".padEnd(6)} page ${"".padStart(8)}     ${t.member}: ${t.message}\n`);
            else process.stdout.write(`${t.outcome.padEnd(6)} ${String(t.code).padStart(4)} ${t.ms.toFixed(2).padStart(8)} ms  ${t.member}(${t.args})\n`);
          }
          for (const line of result.console) process.stdout.write(`console: ${line}\n`);
          for (const e of result.requestErrors ?? []) process.stdout.write(`request: ${e}\n`);
          if (result.crash) process.stdout.write(`crash: ${result.crash.message}\n${result.crash.stack ? `${result.crash.stack}\n` : ""}`);
          for (const g of result.governance) process.stdout.write(`governance: ${g.event}: ${g.text ?? g.detail}\n`);
          if (result.completion) process.stdout.write(`completion: ${result.completion.completed ? `event.completed(${JSON.stringify(result.completion.options)})` : result.completion.error}\n`);
          if (result.smartAlert) process.stdout.write(`smart alert: ${result.smartAlert.send} (${result.smartAlert.sendMode})${result.smartAlert.errorMessage ? `: ${result.smartAlert.errorMessage}` : ""}\n`);
          const server = result.trace.filter((t) => !("where" in t));
          process.stdout.write(`${server.length} calls, ${server.filter((t) => t.outcome === "denied").length} denied, ${server.filter((t) => t.outcome === "failed").length} failed, ${result.refusals.length} refused on the page\n`);
        }
        if (result.disabled) process.exitCode = 1;
      } finally {
        await ews.close();
        await host.close();
      }
    });
}

async function readItemFile(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (bytes.length > MAX_ITEM_BYTES) throw new CliError(`${path}: larger than ${MAX_ITEM_BYTES} bytes`);
  return bytes;
}

async function loadItem(host: RuntimeHost, mailbox: Parameters<RuntimeHost["createItem"]>[0], path: string, bytes: Buffer, itemType: string, form: string): Promise<Item> {
  if (extname(path).toLowerCase() === ".ics") {
    try {
      return await host.createItem(mailbox, { ...parseIcs(bytes.toString("utf8")), isDraft: form === "compose" }, "calendar");
    } catch (e) {
      if (e instanceof IcsError) throw new CliError(`${path}: ${e.message}`);
      throw e;
    }
  }
  const message = await host.importEml(mailbox, bytes, form === "compose" ? "drafts" : "inbox").catch((e: Error) => {
    throw new CliError(`${path}: ${e.message}`);
  });
  if (itemType !== "appointment") return message;
  return host.createItem(mailbox, { itemType: "appointment", itemClass: "IPM.Appointment", subject: message.subject, bodyText: message.bodyText ?? "", start: new Date(Date.now() + 86_400_000), end: new Date(Date.now() + 90_000_000), isDraft: form === "compose" }, "calendar");
}
