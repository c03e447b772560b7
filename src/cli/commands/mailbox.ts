/** `outpost mailbox import | export | seed | legacy-tokens`: the mailbox store from the command line. */
import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { countMessages, exportMailbox, importMessages, openMailboxStore, readMessages, seedDemoMailbox, DEMO_PASSWORD, type MailboxStore } from "../../mailbox/index.ts";
import { CliError, UsageError, printJson } from "../output.ts";
import { exportInstalls } from "../../addins/export.ts";

interface StoreOpts {
  data?: string;
  json?: boolean;
}

/**
 * Opens the store the way `outpost serve` does: PostgreSQL when DATABASE_URL is set (attachment bytes in
 * $OUTPOST_BLOB_DIR when set), else PGlite in --data.
 */
export async function openCliStore(opts: StoreOpts & { blobCacheMb?: string; blobDir?: string }): Promise<MailboxStore> {
  const cacheMb = opts.blobCacheMb === undefined ? undefined : Number(opts.blobCacheMb);
  if (cacheMb !== undefined && !(Number.isInteger(cacheMb) && cacheMb >= 0)) throw new UsageError(`--blob-cache-mb must be a whole number of megabytes (0 turns the cache off), not "${opts.blobCacheMb}"`);
  try {
    return await openMailboxStore({ dataDir: opts.data ?? "./data", useEnv: true, ...(opts.blobDir ? { blobDir: opts.blobDir } : {}), ...(cacheMb !== undefined ? { blobCacheBytes: cacheMb * 1024 * 1024 } : {}) });
  } catch (err) {
    throw new CliError(`cannot open the mailbox store: ${(err as Error).message}`);
  }
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}

function progressBar(json: boolean | undefined, label: string) {
  if (json || !process.stderr.isTTY) {
    return {
      start: (_total: number) => undefined,
      update: (done: number, total: number) => {
        if (json) process.stderr.write(JSON.stringify({ event: "progress", done, total }) + "\n");
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr }, Presets.shades_classic);
  return { start: (total: number) => bar.start(total, 0), update: (done: number) => bar.update(done), stop: () => bar.stop() };
}

export function registerMailboxCommands(program: Command): void {
  const mailbox = program.command("mailbox").description("The mailbox store: import, export and seed mail (PGlite in --data, or PostgreSQL at $DATABASE_URL)");

  mailbox
    .command("import <path>")
    .description("Import .eml files, .mbox files or a folder of them into a mailbox; idempotent, atomic per batch")
    .requiredOption("--user <address>", "address of the mailbox to import into (a user's or a shared one)")
    .option("--folder <folder>", "folder id or well-known name (inbox, archive, sentitems …)", "inbox")
    .option("--create-user", "create the user (tenant 'default') if no mailbox has this address")
    .option("--batch-size <n>", "messages per transaction", "200")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the result as JSON (progress as JSON lines on stderr)")
    .action(async (path: string, opts: StoreOpts & { user: string; folder: string; createUser?: boolean; batchSize: string }) => {
      const batchSize = positiveInt(opts.batchSize, "--batch-size");
      await stat(path).catch(() => {
        throw new CliError(`${path}: no such file or folder`);
      });
      const store = await openCliStore(opts);
      try {
        let target = await store.mailboxes.getByEmail(opts.user);
        if (!target && opts.createUser) {
          const tenant = (await store.directory.getTenant("default")) ?? (await store.directory.createTenant({ id: "default", name: "Default" }));
          target = (await store.provisionUser({ tenantId: tenant.id, email: opts.user, displayName: opts.user.split("@")[0]! })).mailbox;
        }
        if (!target) throw new CliError(`--user ${opts.user}: no mailbox has this address (run "outpost mailbox seed", or pass --create-user)`);
        if (!(await store.mailboxes.resolveFolder(target.id, opts.folder))) throw new CliError(`--folder ${opts.folder}: no such folder in ${opts.user}`);
        const total = await countMessages(path);
        const bar = progressBar(opts.json, "importing");
        bar.start(total);
        const result = await importMessages(store, readMessages(path), { mailboxId: target.id, folder: opts.folder, batchSize, onProgress: (p) => bar.update(p.seen, total) });
        bar.stop();
        if (opts.json) printJson(result);
        else {
          console.log(`imported ${result.imported}, already present ${result.skipped}, failed ${result.failed} (of ${result.seen}) into ${opts.user}/${opts.folder}`);
          for (const f of result.failures) console.log(`  ${f.origin}: ${f.error}`);
        }
        if (result.failed > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });

  mailbox
    .command("export <dir>")
    .description("Write every item of a mailbox as .eml files (imported items byte for byte)")
    .requiredOption("--user <address>", "address of the mailbox to export")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the result as JSON")
    .action(async (dir: string, opts: StoreOpts & { user: string }) => {
      const store = await openCliStore(opts);
      try {
        const target = await store.mailboxes.getByEmail(opts.user);
        if (!target) throw new CliError(`--user ${opts.user}: no mailbox has this address`);
        const total = await store.items.count(target.id);
        const bar = progressBar(opts.json, "exporting");
        bar.start(total);
        const result = await exportMailbox(store, target.id, dir, (n) => bar.update(n, total));
        bar.stop();
        // The mailbox's add-in install records (manifests as installed, consent) go with it, under .addins/.
        const addins = await exportInstalls(store.db, target.id, dir);
        if (opts.json) printJson({ exported: result.exported, verbatim: result.verbatim, addins, dir });
        else console.log(`exported ${result.exported} items to ${dir} (${result.verbatim} byte for byte as imported)${addins ? `, and ${addins} add-in install record${addins === 1 ? "" : "s"}` : ""}`);
      } finally {
        await store.close();
      }
    });

  mailbox
    .command("seed")
    .description("Create a deterministic demo installation: users, a shared mailbox, mail with entities, attachments and meetings")
    .option("--messages <n>", "messages in the main demo mailbox", "200")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the result as JSON")
    .action(async (opts: StoreOpts & { messages: string }) => {
      const messages = positiveInt(opts.messages, "--messages");
      const store = await openCliStore(opts);
      try {
        const bar = progressBar(opts.json, "seeding");
        let started = false;
        const result = await seedDemoMailbox(store, {
          messages,
          onProgress: (done, total) => {
            if (!started) (bar.start(total), (started = true));
            bar.update(done, total);
          },
        });
        bar.stop();
        const users = Object.values(result.users).map((u) => u.email);
        if (opts.json) printJson({ imported: result.imported, users, sharedMailbox: result.mailboxes.support.email, password: DEMO_PASSWORD });
        else console.log(`seeded ${result.imported} new messages; users ${users.join(", ")} (password "${DEMO_PASSWORD}", demo only); shared mailbox ${result.mailboxes.support.email}`);
      } finally {
        await store.close();
      }
    });

  mailbox
    .command("legacy-tokens <tenant> <state>")
    .description("Turn legacy Exchange callback/identity tokens on or off for a tenant (off: add-ins get error 9042)")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--json", "print the result as JSON")
    .action(async (tenant: string, state: string, opts: StoreOpts) => {
      if (state !== "on" && state !== "off") throw new UsageError(`state must be "on" or "off", not "${state}"`);
      const store = await openCliStore(opts);
      try {
        if (!(await store.directory.getTenant(tenant))) throw new CliError(`tenant ${tenant}: not found`);
        await store.directory.setLegacyTokensEnabled(tenant, state === "on");
        if (opts.json) printJson({ tenant, legacyTokensEnabled: state === "on" });
        else console.log(`legacy tokens ${state} for tenant ${tenant}`);
      } finally {
        await store.close();
      }
    });
}
