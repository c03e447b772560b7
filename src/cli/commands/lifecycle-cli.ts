/** What `outpost addin|admin|store` share: the store and lifecycle plane, users and tenants by name, one error style. */
import { readFile, stat } from "node:fs/promises";
import { formatFinding } from "../../manifest/findings.ts";
import { Lifecycle } from "../../addins/lifecycle.ts";
import { LifecycleError } from "../../addins/errors.ts";
import { candidateFromFile, type Candidate } from "../../addins/candidate.ts";
import type { MailboxStore, User } from "../../mailbox/index.ts";
import { CliError, UsageError } from "../output.ts";
import { openCliStore } from "./mailbox.ts";

export interface LifecycleCliOpts {
  data?: string;
  json?: boolean;
  ca?: string;
}

/** Opens the store (PGlite in --data, or PostgreSQL at $DATABASE_URL), runs `fn`, closes; lifecycle refusals become one-line errors. */
export async function withLifecycle<T>(opts: LifecycleCliOpts, fn: (life: Lifecycle, store: MailboxStore) => Promise<T>): Promise<T> {
  const ca = opts.ca ? await readFile(opts.ca).catch(() => { throw new CliError(`--ca ${opts.ca}: cannot read the file`); }) : undefined;
  const store = await openCliStore(opts);
  try {
    // The operator's own command line: any address may be fetched (intranet add-in hosts); TLS is always verified.
    return await fn(new Lifecycle(store.db, { fetch: { allowAddress: () => true, ...(ca ? { ca } : {}) } }), store);
  } catch (err) {
    if (err instanceof LifecycleError) throw cliRefusal(err, opts.json);
    throw err;
  } finally {
    await store.close();
  }
}

/** A refusal as the CLI reports it: the sentence, then the findings (one per line), exit 1. */
export function cliRefusal(err: LifecycleError, json?: boolean): CliError {
  if (json) process.stdout.write(JSON.stringify({ error: { code: err.code, message: err.message, ...err.details } }) + "\n");
  else for (const f of err.details.findings ?? []) process.stderr.write(`  ${formatFinding("manifest", f)}\n`);
  return new CliError(`${err.code}: ${err.message}`);
}

export async function userByAddress(store: MailboxStore, address: string): Promise<User> {
  const u = await store.directory.getUserByEmail(address);
  if (!u) throw new CliError(`--user ${address}: no such user`);
  return u;
}

/** --tenant, or the only tenant there is. */
export async function tenantOf(store: MailboxStore, tenant: string | undefined): Promise<string> {
  if (tenant) {
    if (!(await store.directory.getTenant(tenant))) throw new CliError(`--tenant ${tenant}: no such tenant`);
    return tenant;
  }
  const all = await store.directory.listTenants();
  if (all.length === 1) return all[0]!.id;
  throw new UsageError(all.length === 0 ? "no tenant in this store" : `several tenants (${all.map((t) => t.id).join(", ")}): pass --tenant`);
}

/** A manifest file, an https:// URL or a store add-in id, as an install candidate. */
export async function candidateFor(life: Lifecycle, ref: string): Promise<Candidate> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return life.installs.resolve({ source: "url", url: ref });
  if (await stat(ref).catch(() => undefined)) return candidateFromFile(ref);
  if (await life.catalog.listing(ref)) return life.catalog.candidate(ref);
  throw new CliError(`${ref}: not a file, an https:// URL or a store add-in id`);
}

export function out(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value) + "\n" : text().replace(/\n?$/, "\n"));
}
