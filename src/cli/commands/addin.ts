/** `outpost addin install|list|remove|enable|disable|consent`: a user's add-ins, on the embedded store or PostgreSQL. */
import type { Command } from "commander";
import { formatExplanation } from "../../manifest/explain.ts";
import { LifecycleError } from "../../addins/errors.ts";
import { askOf, CONSENT_TEXT_VERSION, type ConsentPrompt } from "../../addins/consent.ts";
import type { InstalledAddin } from "../../addins/installs.ts";
import { CliError } from "../output.ts";
import { candidateFor, out, userByAddress, withLifecycle, type LifecycleCliOpts } from "./lifecycle-cli.ts";
import { auditText } from "./store.ts";

type Opts = LifecycleCliOpts & { user: string };

const line = (a: InstalledAddin) =>
  `${a.id}  ${a.name} ${a.version}  ${a.tier}${a.supplementary.length ? ` + ${a.supplementary.join(", ")}` : ""}  ${a.source}${a.mandatory ? " (mandatory)" : ""}  ${a.enabled ? "enabled" : "disabled"}${a.orgDisabled ? " (disabled by admin)" : ""}${a.pending ? `  update ${a.pending.version} waits for consent` : ""}${a.notice ? `  — ${a.notice}` : ""}`;

function common(c: Command): Command {
  return c.requiredOption("--user <address>", "whose add-ins").option("--data <dir>", "embedded store folder", "./data").option("--json", "print JSON");
}

export function registerAddinCommands(program: Command): void {
  const addin = program.command("addin").description("A user's add-ins: install (with consent), list, remove, enable, disable");

  common(addin.command("install <manifest|url|store-id>"))
    .description("Install an add-in for the user from a manifest file, an https:// URL or the store; shows the consent text unless --accept-consent")
    .option("--accept-consent", "accept the permissions the consent text shows")
    .option("--client <client>", "client the install comes from (web, new-windows, windows, mac, ios, android)", "web")
    .option("--ca <file>", "extra CA certificate (PEM) to trust for an https:// manifest URL")
    .action(async (ref: string, opts: Opts & { acceptConsent?: boolean; client: string }) => {
      await withLifecycle(opts, async (life, store) => {
        const user = await userByAddress(store, opts.user);
        const c = await candidateFor(life, ref);
        // --accept-consent accepts exactly what the consent text shows for this manifest.
        const accept = opts.acceptConsent ? { ...askOf(c.manifest), textVersion: CONSENT_TEXT_VERSION } : undefined;
        try {
          const r = await life.installs.install(user, c, { client: opts.client, actor: `cli:${user.email}`, ...(accept ? { accept } : {}) });
          out(opts.json, r, () => `${r.changed ? "installed" : "already installed"}: ${line(r.addin)}`);
        } catch (err) {
          if (err instanceof LifecycleError && err.code === "consent-required" && !opts.json) {
            const p = err.details.prompt as ConsentPrompt;
            process.stderr.write(`${formatExplanation(p.explanation)}\n\n`);
            throw new CliError(`nothing installed: re-run with --accept-consent to accept ${p.tier}${p.supplementary.length ? ` + ${p.supplementary.join(", ")}` : ""} for ${user.email}`);
          }
          throw err;
        }
      });
    });

  common(addin.command("list"))
    .description("The user's add-ins: admin deployments that target them and their own installs")
    .action(async (opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        const list = await life.catalog.withVerdicts(await life.installs.list(await userByAddress(store, opts.user)));
        out(opts.json, { value: list }, () => (list.length ? list.map((a) => `${line(a)}${a.source === "store" ? `\n    ${auditText(a.audit)}` : ""}`).join("\n") : "no add-ins"));
      });
    });

  common(addin.command("remove <id>"))
    .description("Remove one of the user's own installs (admin deployments can only be disabled)")
    .action(async (id: string, opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        const user = await userByAddress(store, opts.user);
        await life.installs.remove(user, id, `cli:${user.email}`);
        out(opts.json, { removed: id.toLowerCase() }, () => `removed ${id.toLowerCase()}`);
      });
    });

  for (const [name, enabled] of [["enable", true], ["disable", false]] as const) {
    common(addin.command(`${name} <id>`))
      .description(`${name === "enable" ? "Enable" : "Disable"} an add-in for the user (mandatory deployments cannot be disabled)`)
      .action(async (id: string, opts: Opts) => {
        await withLifecycle(opts, async (life, store) => {
          const user = await userByAddress(store, opts.user);
          const a = await life.installs.setEnabled(user, id, enabled, `cli:${user.email}`);
          out(opts.json, a, () => line(a));
        });
      });
  }

  common(addin.command("consent <id>"))
    .description("Accept an update that asks for more permissions than the user consented to")
    .option("--accept-consent", "accept the permissions the update asks for")
    .action(async (id: string, opts: Opts & { acceptConsent?: boolean }) => {
      await withLifecycle(opts, async (life, store) => {
        const user = await userByAddress(store, opts.user);
        const a = await life.installs.find(user, id);
        if (!a?.pending) throw new CliError(`${id}: no update waits for consent`);
        if (!opts.acceptConsent) {
          process.stderr.write(`${formatExplanation(a.pending.prompt.explanation)}\n\n`);
          throw new CliError(`nothing changed: re-run with --accept-consent to accept ${a.pending.tier} for ${user.email}`);
        }
        const r = await life.installs.acceptUpdate(user, id, { tier: a.pending.tier, supplementary: a.pending.supplementary, textVersion: a.pending.prompt.textVersion });
        out(opts.json, r, () => `updated: ${line(r)}`);
      });
    });
}
