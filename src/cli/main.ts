/**
 * The `outpost` command line. Each area registers its own sub-commands, and only the area a command line names is
 * loaded: `outpost --help` imports commander alone, `outpost manifest validate` the manifest modules but no database,
 * server or sandbox (issue 13: start-up time is what every CI step pays).
 */
import { Command, CommanderError } from "commander";
import { UsageError, reportFatal } from "./output.ts";
import { PACKAGE_VERSION } from "../package-root.ts";
import { PROTOCOL_VERSION } from "../runtime/bridge/version.ts";

type Register = (program: Command) => void;

/** The top-level commands, in the order `outpost --help` lists them. */
const AREAS: Array<{ name: string; summary: string; load: () => Promise<Register> }> = [
  { name: "manifest", summary: "Read, validate, convert and explain add-in manifests (XML and unified JSON)", load: async () => (await import("./commands/manifest.ts")).registerManifestCommands },
  { name: "activation", summary: "Outlook's activation rules, limits and entities, per client", load: async () => (await import("./commands/activation.ts")).registerActivationCommands },
  { name: "mailbox", summary: "The mailbox store: import, export and seed mail", load: async () => (await import("./commands/mailbox.ts")).registerMailboxCommands },
  { name: "serve", summary: "Start the Outpost server (PGlite in --data by default; PostgreSQL when DATABASE_URL is set)", load: async () => (await import("./commands/serve.ts")).registerServeCommands },
  { name: "run", summary: "Run an add-in against an item under its tier and print every Office.js call", load: async () => (await import("./commands/run.ts")).registerRunCommands },
  { name: "audit", summary: "Least-privilege audit: the lowest tier an add-in's code and traces need, against what its manifest asks", load: async () => (await import("./commands/audit.ts")).registerAuditCommands },
  { name: "addin", summary: "A user's add-ins: install (with consent), list, remove, enable, disable", load: async () => (await import("./commands/addin.ts")).registerAddinCommands },
  { name: "admin", summary: "Tenant administration: centralized deployment, add-ins on/off, groups, policies, the audit log", load: async () => (await import("./commands/admin.ts")).registerAdminCommands },
  { name: "store", summary: "The add-in store: publishers, submissions, listings, takedown", load: async () => (await import("./commands/store.ts")).registerStoreCommands },
  { name: "identity", summary: "Outpost's identity provider: app registrations, consent, revocation, Graph scopes, legacy-token modes", load: async () => (await import("./commands/identity.ts")).registerIdentityCommands },
];

/** The area a command line names: its first word that is not an option (after `help`, the word after it). */
function namedArea(argv: string[]): (typeof AREAS)[number] | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  const name = words[0] === "help" ? words[1] : words[0];
  return AREAS.find((a) => a.name === name);
}

const program = new Command();
program.name("outpost").description("A self-hosted Outlook add-in host: manifests, permissions, activation, mailbox and runtime under Outlook's rules.").version(`${PACKAGE_VERSION} (bridge protocol ${PROTOCOL_VERSION})`);
program.exitOverride();
program.configureOutput({ writeErr: (s) => process.stderr.write(s) });

try {
  const area = namedArea(process.argv.slice(2));
  if (area) {
    (await area.load())(program);
  } else {
    // Help, --version or an unknown command: list every area without loading any.
    for (const a of AREAS) program.command(a.name).description(a.summary);
  }
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`outpost: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    reportFatal(e);
  }
}
