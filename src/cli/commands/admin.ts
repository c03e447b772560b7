/** `outpost admin deploy|undeploy|enable|disable|group|policy|log`: tenant administration from the command line. */
import type { Command } from "commander";
import { LifecycleError } from "../../addins/errors.ts";
import { parseTarget, type Deployment } from "../../tenant/deployments.ts";
import type { PolicyPatch, TenantPolicy } from "../../tenant/policy.ts";
import { isTier } from "../../permissions/tiers.ts";
import { UsageError } from "../output.ts";
import { candidateFor, out, tenantOf, withLifecycle, type LifecycleCliOpts } from "./lifecycle-cli.ts";
import { auditText } from "./store.ts";

type Opts = LifecycleCliOpts & { tenant?: string };

function common(c: Command): Command {
  return c.option("--tenant <id>", "tenant (default: the only one)").option("--data <dir>", "embedded store folder", "./data").option("--json", "print JSON");
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const ACTOR = "cli";

const depLine = (d: Deployment) =>
  `${d.id}  ${d.name} ${d.version}  ${d.tier}${d.supplementary.length ? ` + ${d.supplementary.join(", ")}` : ""}  ${d.mandatory ? "mandatory" : "optional"}  to ${d.targets.map((t) => (t.kind === "everyone" ? "everyone" : t.kind === "group" ? `group:${t.name}` : `user:${t.address}`)).join(", ")}${d.notice ? `  — ${d.notice}` : ""}`;

function policyText(p: TenantPolicy): string {
  const oce = Object.entries(p.optionalConnectedExperiences).map(([c, on]) => `${c}=${on ? "on" : "off"}`).join(" ");
  return [
    `version ${p.version}${p.updatedBy ? ` (last changed by ${p.updatedBy} at ${p.updatedAt})` : ""}`,
    `blockUserInstalls    ${p.blockUserInstalls}`,
    `userInstallMaxTier   ${p.userInstallMaxTier}`,
    `oce                  ${oce}`,
    `irmActivation        ${p.irmActivation}`,
    `legacyTokensEnabled  ${p.legacyTokensEnabled}`,
    `disabledAddins       ${p.disabledAddins.join(", ") || "none"}`,
    `thresholds           ${Object.entries(p.thresholds).map(([n, v]) => `${n}=${v}`).join(" ") || "defaults"}`,
  ].join("\n");
}

/** key=value pairs: blockUserInstalls=on, userInstallMaxTier=ReadItem, oce.windows=off, irmActivation=off, legacyTokens=off, threshold.MemoryAlertThreshold=500|default. */
export function parseAssignments(pairs: string[]): PolicyPatch {
  const patch: PolicyPatch = {};
  const bool = (key: string, v: string): boolean => {
    if (/^(on|true|yes)$/i.test(v)) return true;
    if (/^(off|false|no)$/i.test(v)) return false;
    throw new UsageError(`${key}=${v}: expected on or off`);
  };
  for (const pair of pairs) {
    const m = /^([\w.-]+)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`"${pair}": expected key=value`);
    const [, key, value] = m as unknown as [string, string, string];
    if (key === "blockUserInstalls") patch.blockUserInstalls = bool(key, value);
    else if (key === "irmActivation") patch.irmActivation = bool(key, value);
    else if (key === "legacyTokens" || key === "legacyTokensEnabled") patch.legacyTokensEnabled = bool(key, value);
    else if (key === "userInstallMaxTier") {
      if (!isTier(value)) throw new UsageError(`userInstallMaxTier=${value}: expected Restricted, ReadItem, ReadWriteItem or ReadWriteMailbox`);
      patch.userInstallMaxTier = value;
    } else if (key.startsWith("oce.")) patch.optionalConnectedExperiences = { ...patch.optionalConnectedExperiences, [key.slice(4)]: bool(key, value) };
    else if (key.startsWith("threshold.")) {
      const n = value === "default" ? null : Number(value);
      if (n !== null && !Number.isFinite(n)) throw new UsageError(`${key}=${value}: expected a number or "default"`);
      patch.thresholds = { ...patch.thresholds, [key.slice(10)]: n } as PolicyPatch["thresholds"];
    } else throw new UsageError(`unknown policy setting "${key}" (blockUserInstalls, userInstallMaxTier, oce.<client>, irmActivation, legacyTokens, threshold.<name>)`);
  }
  return patch;
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command("admin").description("Tenant administration: centralized deployment, add-ins on/off, groups, policies, the audit log");

  common(admin.command("deploy <manifest|url|store-id>"))
    .description("Deploy an add-in to everyone, groups or users of the tenant (no consent prompt for them)")
    .requiredOption("--to <target>", "everyone | group:<name> | user:<address> (repeatable)", collect)
    .option("--mandatory", "users cannot disable it")
    .option("--ca <file>", "extra CA certificate (PEM) to trust for an https:// manifest URL")
    .action(async (ref: string, opts: Opts & { to: string[]; mandatory?: boolean }) => {
      await withLifecycle(opts, async (life, store) => {
        const tenant = await tenantOf(store, opts.tenant);
        const targets = opts.to.map((t) => {
          try {
            return parseTarget(t);
          } catch (err) {
            throw new UsageError((err as LifecycleError).message);
          }
        });
        const d = await life.deploy(tenant, await candidateFor(life, ref), targets, opts.mandatory === true, ACTOR);
        out(opts.json, d, () => `deployed: ${depLine(d)}`);
      });
    });

  common(admin.command("undeploy <id>"))
    .description("Remove a deployment; open sessions of users who lose the add-in end at their next call")
    .action(async (id: string, opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        await life.undeploy(await tenantOf(store, opts.tenant), id, ACTOR);
        out(opts.json, { undeployed: id.toLowerCase() }, () => `undeployed ${id.toLowerCase()}`);
      });
    });

  common(admin.command("deployments"))
    .description("List the tenant's deployments")
    .action(async (opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        const list = await life.catalog.withVerdicts(await life.deployments.list(await tenantOf(store, opts.tenant)));
        out(opts.json, { value: list }, () => (list.length ? list.map((d) => `${depLine(d)}\n    ${d.source === "store" ? auditText(d.audit) : "audit: none (not from the store)"}`).join("\n") : "no deployments"));
      });
    });

  for (const [name, enabled] of [["enable", true], ["disable", false]] as const) {
    common(admin.command(`${name} <id>`))
      .description(`${name === "enable" ? "Enable" : "Disable"} an add-in for the whole organisation${enabled ? "" : " (its open sessions end)"}`)
      .action(async (id: string, opts: Opts) => {
        await withLifecycle(opts, async (life, store) => {
          const p = await life.setAddinEnabled(await tenantOf(store, opts.tenant), id, enabled, ACTOR);
          out(opts.json, p, () => `${id.toLowerCase()} ${enabled ? "enabled" : "disabled"} for the organisation (policy version ${p.version})`);
        });
      });
  }

  common(admin.command("group <name> [addresses...]"))
    .description("Create or replace a group of users (deployment target group:<name>)")
    .action(async (name: string, addresses: string[], opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        const g = await life.groups.set(await tenantOf(store, opts.tenant), name, addresses, ACTOR);
        out(opts.json, g, () => `group ${g.name}: ${g.members.join(", ") || "no members"}`);
      });
    });

  const policy = admin.command("policy").description("Tenant policies: user installs, cap per tier, optional connected experiences, IRM, legacy tokens, thresholds");
  common(policy.command("get"))
    .description("Show the tenant's policy")
    .action(async (opts: Opts) => {
      await withLifecycle(opts, async (life, store) => {
        const p = await life.policies.get(await tenantOf(store, opts.tenant));
        out(opts.json, p, () => policyText(p));
      });
    });
  common(policy.command("set <key=value...>"))
    .description("Change settings: blockUserInstalls=on|off, userInstallMaxTier=<tier>, oce.<client>=on|off, irmActivation=on|off, legacyTokens=on|off, threshold.<name>=<n>|default")
    .option("--expect-version <n>", "the policy version you read (refused if it changed since); default: the current one")
    .action(async (pairs: string[], opts: Opts & { expectVersion?: string }) => {
      const patch = parseAssignments(pairs);
      if (opts.expectVersion !== undefined && !/^\d+$/.test(opts.expectVersion)) throw new UsageError(`--expect-version must be a whole number, not "${opts.expectVersion}"`);
      await withLifecycle(opts, async (life, store) => {
        const tenant = await tenantOf(store, opts.tenant);
        const version = opts.expectVersion !== undefined ? Number(opts.expectVersion) : (await life.policies.get(tenant)).version;
        const p = await life.policies.update(tenant, version, patch, ACTOR);
        out(opts.json, p, () => policyText(p));
      });
    });

  common(admin.command("log"))
    .description("The tenant's audit log, newest first")
    .option("--limit <n>", "entries", "50")
    .option("--action <action>", "only this action (addin.install, deployment.create, policy.update, …)")
    .action(async (opts: Opts & { limit: string; action?: string }) => {
      await withLifecycle(opts, async (life, store) => {
        const entries = await life.auditLog.list(await tenantOf(store, opts.tenant), { limit: Number(opts.limit) || 50, ...(opts.action ? { action: opts.action } : {}) });
        out(opts.json, { value: entries }, () =>
          entries.map((e) => `${e.at}  ${e.actor}  ${e.action}  ${e.target}${e.before ? `  before ${JSON.stringify(e.before)}` : ""}${e.after ? `  after ${JSON.stringify(e.after)}` : ""}`).join("\n") || "no entries",
        );
      });
    });
}
