/**
 * Install records travel with the mailbox: `outpost mailbox export` writes them under `<dir>/.addins/` (one JSON
 * record and the manifest bytes as installed per add-in); `importInstalls` puts them back into a mailbox, checking
 * each manifest against its recorded hash. Admin deployments are the tenant's, not the mailbox's: only the user's
 * own state of them (disabled, pinned) is carried.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../mailbox/index.ts";
import { sha256 } from "./candidate.ts";
import { LifecycleError } from "./errors.ts";
import type { OwnRow } from "./installs.ts";

/** What an export reads: the install row without its mailbox (the export is of one mailbox). */
type Row = Omit<OwnRow, "mailbox_id" | "source"> & { source: string };

export interface ExportedInstall {
  addinId: string;
  source: string;
  sourceRef: string | null;
  name: string;
  version: string;
  sha256: string | null;
  consent: unknown;
  pendingVersion: string | null;
  enabled: boolean;
  pinned: boolean;
  notice: string | null;
  installedAt: string;
}

const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);
const safe = (id: string) => id.replace(/[^a-z0-9._-]/gi, "_");

export async function exportInstalls(db: Db, mailboxId: string, dir: string): Promise<number> {
  const { rows } = await db.query<Row>("SELECT * FROM mailbox_addins WHERE mailbox_id = $1 ORDER BY addin_id", [mailboxId]);
  if (rows.length === 0) return 0;
  const out = join(dir, ".addins");
  await mkdir(out, { recursive: true });
  for (const r of rows) {
    const base = join(out, safe(r.addin_id));
    if (r.manifest) await writeFile(`${base}.manifest`, r.manifest);
    if (r.pending_manifest) await writeFile(`${base}.pending.manifest`, r.pending_manifest);
    const record: ExportedInstall = {
      addinId: r.addin_id,
      source: r.source,
      sourceRef: r.source_ref,
      name: r.name,
      version: r.version,
      sha256: r.sha256,
      consent: json(r.consent) ?? null,
      pendingVersion: r.pending_version,
      enabled: r.enabled,
      pinned: r.pinned,
      notice: r.notice,
      installedAt: new Date(r.installed_at).toISOString(),
    };
    await writeFile(`${base}.json.partial`, JSON.stringify(record, null, 2));
    await rename(`${base}.json.partial`, `${base}.json`);
  }
  return rows.length;
}

/** Reads `<dir>/.addins/` back into a mailbox (records already there are left as they are). Returns the ids imported. */
export async function importInstalls(db: Db, mailboxId: string, dir: string): Promise<string[]> {
  const folder = join(dir, ".addins");
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
  const imported: string[] = [];
  await db.transaction(async (tx) => {
    for (const name of names) {
      const r = JSON.parse(await readFile(join(folder, name), "utf8")) as ExportedInstall;
      const base = join(folder, name.replace(/\.json$/, ""));
      const manifest = r.sha256 ? await readFile(`${base}.manifest`) : null;
      if (manifest && sha256(manifest) !== r.sha256) throw new LifecycleError("invalid-request", `${name}: the manifest does not match its recorded sha256`);
      const pending = r.pendingVersion ? await readFile(`${base}.pending.manifest`).catch(() => null) : null;
      const { rows } = await tx.query(
        `INSERT INTO mailbox_addins (mailbox_id, addin_id, source, source_ref, name, version, manifest, sha256, consent, pending_manifest, pending_version, enabled, pinned, notice, installed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING RETURNING addin_id`,
        [mailboxId, r.addinId, r.source, r.sourceRef, r.name, r.version, manifest, r.sha256, JSON.stringify(r.consent), pending, pending ? r.pendingVersion : null, r.enabled, r.pinned, r.notice, r.installedAt],
      );
      if (rows.length) imported.push(r.addinId);
    }
  });
  return imported;
}
