/**
 * Demo add-ins as store listings of a seeded verified publisher, deployed by the admin to everyone in the demo
 * tenant: `npm start` shows them, and they run through the same install lookup as any other add-in. Idempotent.
 */
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { MailboxStore } from "../mailbox/index.ts";
import { Lifecycle } from "./lifecycle.ts";
import { LifecycleError } from "./errors.ts";
import { PACKAGE_LIMITS, readPackageDir } from "../audit/package-files.ts";

export const DEMO_PUBLISHER = "Outpost examples";
const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");

async function manifests(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await manifests(full)));
    else if (/^manifest\.(xml|json)$/.test(e.name)) out.push(full);
  }
  return out.sort();
}

export interface SeedAddinsResult {
  published: string[];
  deployed: string[];
  skipped: { file: string; reason: string }[];
}

export async function seedDemoAddins(store: MailboxStore, options: { tenantId: string; operators?: string[]; examplesDir?: string }): Promise<SeedAddinsResult> {
  const life = Lifecycle.of(store);
  const dir = options.examplesDir ?? EXAMPLES;
  const publisher =
    (await life.catalog.publishers.get(DEMO_PUBLISHER)) ??
    (await life.catalog.publishers.create(
      { name: DEMO_PUBLISHER, verified: true, acceptAgreement: true, privacyUrl: "https://localhost:3000/examples/README.md", supportUrl: "https://localhost:3000/examples/README.md" },
      "seed",
      null,
    ));
  for (const id of options.operators ?? []) await life.catalog.addOperator(id);
  const result: SeedAddinsResult = { published: [], deployed: [], skipped: [] };
  const existing = new Set((await life.deployments.list(options.tenantId)).map((d) => d.id));
  for (const file of await manifests(dir)) {
    try {
      // With the demo's code beside its manifest, so the store's audit verdict rests on what the add-in does.
      let code = await readPackageDir(dirname(file)).catch(() => undefined);
      if (code && code.reduce((n, f) => n + f.text.length, 0) > PACKAGE_LIMITS.bytes) code = undefined;
      const v = await life.catalog.submit(publisher.id, await readFile(file), relative(dir, file), "seed", null, undefined, code?.length ? { code } : {});
      result.published.push(v.addinId);
      if (!existing.has(v.addinId)) {
        await life.deploy(options.tenantId, { source: "store", addinId: v.addinId }, [{ kind: "everyone" }], false, "seed");
        result.deployed.push(v.addinId);
      }
    } catch (err) {
      if (!(err instanceof LifecycleError)) throw err;
      result.skipped.push({ file: relative(dir, file), reason: err.message });
    }
  }
  return result;
}

/**
 * `outpost serve --seed`: seeds the demo add-ins into the seeded demo tenant (contoso) when the store has no
 * listing yet, also for a data folder seeded before add-ins were. Alice (its admin) runs the demo store.
 */
export async function seedDemoAddinsOnce(store: MailboxStore, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  const tenant = await store.directory.getTenant("contoso");
  if (!tenant || (await Lifecycle.of(store).catalog.list({ includeTakenDown: true })).length > 0) return;
  const alice = await store.directory.getUserByEmail("alice@contoso.example");
  const r = await seedDemoAddins(store, { tenantId: tenant.id, operators: alice ? [alice.id] : [] });
  log(`seeded demo add-ins: ${r.published.length} store listings of "${DEMO_PUBLISHER}", deployed to everyone in ${tenant.name}`);
  for (const s of r.skipped) log(`  skipped ${s.file}: ${s.reason}`);
}
