/** `outpost store publisher|publish|list|takedown`: the add-in store, run by the operator from the command line. */
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Listing } from "../../store/catalog.ts";
import { CliError } from "../output.ts";
import { out, withLifecycle, type LifecycleCliOpts } from "./lifecycle-cli.ts";

function common(c: Command): Command {
  return c.option("--data <dir>", "embedded store folder", "./data").option("--json", "print JSON");
}
const ACTOR = "cli";
const listingLine = (l: Listing) =>
  `${l.id}  ${l.name} ${l.version}  ${l.tier}${l.supplementary.length ? ` + ${l.supplementary.join(", ")}` : ""}  by ${l.publisher.name}${l.publisher.verified ? " (verified)" : ""}  ${l.status}${l.rating.count ? `  ${l.rating.average}/5 (${l.rating.count})` : ""}`;

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
    .action(async (file: string, opts: LifecycleCliOpts & { publisher: string }) => {
      const bytes = await readFile(file).catch(() => {
        throw new CliError(`${file}: no such file`);
      });
      await withLifecycle(opts, async (life) => {
        const v = await life.catalog.submit(opts.publisher, bytes, basename(file), ACTOR, null);
        out(opts.json, v, () => `published ${v.addinId} ${v.version} (${v.tier}) sha256 ${v.sha256}`);
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
