/** `outpost store publisher|publish|list|takedown`: the add-in store, run by the operator from the command line. */
import type { Command } from "commander";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, relative, sep } from "node:path";
import type { Listing, StoreVersion } from "../../store/catalog.ts";
import type { PackageFile, StoredVerdict } from "../../audit/package.ts";
import { CliError } from "../output.ts";
import { out, withLifecycle, type LifecycleCliOpts } from "./lifecycle-cli.ts";

function common(c: Command): Command {
  return c.option("--data <dir>", "embedded store folder", "./data").option("--json", "print JSON");
}
const ACTOR = "cli";
/** The auditor's verdict in one line (store list, publish, admin deployments). */
export function auditText(v: StoredVerdict | null | undefined): string {
  if (!v) return "audit: not audited";
  const graph = v.graph.verdict !== "none" || v.graph.requested.length ? `; Graph scopes: ${v.graph.summary}` : "";
  return `audit: ${v.summary}${v.basis === "manifest" ? " (manifest only: no code submitted)" : ""}${graph}`;
}
const listingLine = (l: Listing) =>
  `${l.id}  ${l.name} ${l.version}  ${l.tier}${l.supplementary.length ? ` + ${l.supplementary.join(", ")}` : ""}  by ${l.publisher.name}${l.publisher.verified ? " (verified)" : ""}  ${l.status}${l.rating.count ? `  ${l.rating.average}/5 (${l.rating.count})` : ""}\n    ${auditText(l.audit)}`;
const publishedText = (v: StoreVersion) => {
  const a = v.audit;
  const lines = [`published ${v.addinId} ${v.version} (${v.tier}) sha256 ${v.sha256}`, `  ${auditText(a)}`];
  if (a?.code) lines.push(`  code: ${a.code.files} file${a.code.files === 1 ? "" : "s"}, ${(a.code.bytes / 1024).toFixed(1)} KB, sha256 ${a.code.sha256}`);
  for (const e of a?.evidence ?? []) lines.push(`  ${e.tier.padEnd(16)} ${e.member}  ${e.where}`);
  if (a?.failure) lines.push(`  at ${a.declared.tier}, ${a.failure.member} fails with ${a.failure.code} ${a.failure.name}`);
  return lines.join("\n");
};

/** The code given with --code (files, or folders walked as the auditor walks them), as package files relative to each folder. */
async function readPackage(paths: readonly string[]): Promise<PackageFile[]> {
  const { collectCodeFiles } = await import("../../audit/sources.ts");
  const files: PackageFile[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw new CliError(`${p}: no such file or folder`);
    });
    const base = s.isDirectory() ? p : dirname(p);
    const findings: { message: string }[] = [];
    for (const f of await collectCodeFiles([p], [])) {
      const text = await readFile(f, "utf8").catch((e: NodeJS.ErrnoException) => {
        findings.push({ message: `${f}: ${e.code ?? "cannot read"}` });
        return undefined;
      });
      if (text !== undefined) files.push({ path: relative(base, f).split(sep).join("/"), text });
    }
    if (findings.length) throw new CliError(findings[0]!.message);
  }
  return files;
}

export function registerStoreCommands(program: Command): void {
  const store = program.command("store").description("The add-in store: publishers, submissions (archived read-only), listings, takedown");

  common(store.command("publisher <name>"))
    .description("Create a publisher account (the command line acts as the store operator)")
    .option("--privacy-url <url>", "privacy-policy URL (https)")
    .option("--support-url <url>", "support URL (https)")
    .option("--accept-agreement", "the publisher accepts the publisher agreement")
    .option("--verified", "identity verified by the operator")
    .action(async (name: string, opts: LifecycleCliOpts & { privacyUrl?: string; supportUrl?: string; acceptAgreement?: boolean; verified?: boolean }) => {
      await withLifecycle(opts, async (life) => {
        const p = await life.catalog.publishers.create({ name, privacyUrl: opts.privacyUrl ?? null, supportUrl: opts.supportUrl ?? null, acceptAgreement: opts.acceptAgreement === true, verified: opts.verified === true }, ACTOR, null);
        out(opts.json, p, () => `publisher ${p.name} (${p.id})${p.verified ? " verified" : " not verified"}`);
      });
    });

  common(store.command("publish <manifest>"))
    .description("Submit a manifest as a new version of the publisher's listing (validated, https only, icons, archived read-only)")
    .requiredOption("--publisher <name>", "publisher name or id")
    .option("--code <dir|file>", "the add-in's code (a bundle or a folder), audited with the submission; repeatable", (v: string, prev: string[] = []) => [...prev, v])
    .action(async (file: string, opts: LifecycleCliOpts & { publisher: string; code?: string[] }) => {
      const bytes = await readFile(file).catch(() => {
        throw new CliError(`${file}: no such file`);
      });
      const code = opts.code?.length ? await readPackage(opts.code) : undefined;
      await withLifecycle(opts, async (life) => {
        const v = await life.catalog.submit(opts.publisher, bytes, basename(file), ACTOR, null, undefined, code ? { code } : {});
        out(opts.json, v, () => publishedText(v));
      });
    });

  common(store.command("list"))
    .description("The store's listings")
    .option("--all", "include taken-down listings")
    .action(async (opts: LifecycleCliOpts & { all?: boolean }) => {
      await withLifecycle(opts, async (life) => {
        const list = await life.catalog.list({ includeTakenDown: opts.all === true });
        out(opts.json, { value: list }, () => (list.length ? list.map(listingLine).join("\n") : "no listings"));
      });
    });

  common(store.command("takedown <id>"))
    .description("Take a listing down: installed copies are disabled with a notice, open sessions end")
    .requiredOption("--reason <text>", "shown to users who have it")
    .action(async (id: string, opts: LifecycleCliOpts & { reason: string }) => {
      await withLifecycle(opts, async (life) => {
        const l = await life.catalog.takedown(id, opts.reason, ACTOR);
        out(opts.json, l, () => `taken down: ${listingLine(l)}`);
      });
    });
}
