/**
 * A new store version reaches the installed copies: an update that asks for the same or less applies silently;
 * one that asks for more (a higher tier, a new supplementary permission) waits in the install record as pending,
 * and the user stays on the old version until they consent again. Admin deployments from the store update
 * without consent (the admin's deployment is the consent).
 */
import type { Queryable } from "../mailbox/index.ts";
import { audit } from "../tenant/audit.ts";
import type { Candidate } from "./candidate.ts";
import { askOf, escalates, type GivenConsent } from "./consent.ts";

interface InstallRow {
  mailbox_id: string;
  tenant_id: string;
  version: string;
  consent: unknown;
}
const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);

export async function applyStoreUpdate(tx: Queryable, c: Candidate, actor: string): Promise<{ silent: number; pending: number; deployments: number }> {
  const ask = askOf(c.manifest);
  const version = c.manifest.version;
  let silent = 0;
  let pending = 0;
  const { rows } = await tx.query<InstallRow>(
    "SELECT i.mailbox_id, m.tenant_id, i.version, i.consent FROM mailbox_addins i JOIN mailboxes m ON m.id = i.mailbox_id WHERE i.addin_id = $1 AND i.source = 'store' FOR UPDATE OF i",
    [c.addinId],
  );
  for (const r of rows) {
    const consent = json(r.consent) as GivenConsent | null;
    if (consent && !escalates(ask, consent)) {
      await tx.query(
        "UPDATE mailbox_addins SET manifest = $3, sha256 = $4, version = $5, name = $6, pending_manifest = NULL, pending_version = NULL, updated_at = now() WHERE mailbox_id = $1 AND addin_id = $2",
        [r.mailbox_id, c.addinId, c.bytes, c.sha256, version, c.manifest.name.value],
      );
      await audit(tx, { tenantId: r.tenant_id, actor, action: "addin.update", target: `mailbox:${r.mailbox_id}/addin:${c.addinId}`, before: { version: r.version }, after: { version, silent: true } });
      silent++;
    } else {
      await tx.query("UPDATE mailbox_addins SET pending_manifest = $3, pending_version = $4, updated_at = now() WHERE mailbox_id = $1 AND addin_id = $2", [r.mailbox_id, c.addinId, c.bytes, version]);
      await audit(tx, { tenantId: r.tenant_id, actor, action: "addin.update-pending", target: `mailbox:${r.mailbox_id}/addin:${c.addinId}`, before: { version: r.version }, after: { version, asks: ask } });
      pending++;
    }
  }
  const { rows: deps } = await tx.query<{ tenant_id: string; version: string }>(
    `UPDATE tenant_deployments d SET manifest = $2, sha256 = $3, version = $4, name = $5, tier = $6, supplementary = $7::jsonb
     FROM (SELECT tenant_id, version AS old_version FROM tenant_deployments WHERE addin_id = $1 AND source = 'store' FOR UPDATE) o
     WHERE d.addin_id = $1 AND d.source = 'store' AND d.tenant_id = o.tenant_id RETURNING d.tenant_id, o.old_version AS version`,
    [c.addinId, c.bytes, c.sha256, version, c.manifest.name.value, ask.tier, JSON.stringify(ask.supplementary)],
  );
  for (const d of deps) await audit(tx, { tenantId: d.tenant_id, actor, action: "deployment.update", target: `addin:${c.addinId}`, before: { version: d.version }, after: { version, fromStore: true } });
  return { silent, pending, deployments: deps.length };
}
