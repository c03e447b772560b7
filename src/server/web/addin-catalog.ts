/**
 * Which add-ins a signed-in user has in the web client, with their manifests: the user's installed, enabled add-ins
 * and the admin deployments that target them (the lifecycle API's install records), each with the tier the user
 * consented to — the same lookup POST /bridge/sessions makes, so the bar never offers what the bridge would refuse.
 */
import type { FastifyInstance } from "fastify";
import type { AddinManifest } from "../../manifest/model.ts";
import type { User } from "../../mailbox/index.ts";
import type { Supplementary, Tier } from "../../permissions/tiers.ts";
import { lifecycleOf } from "../routes/lifecycle-http.ts";

export interface CatalogAddin {
  id: string;
  name: string;
  manifest: AddinManifest;
  /** Granted (consented or admin-deployed) tier and supplementary permissions. */
  tier: Tier;
  supplementary: Supplementary[];
  source: string;
  mandatory: boolean;
}

/** The add-ins the user has and may run in the web client, in the install list's order. */
export async function addinsForUser(app: FastifyInstance, user: User): Promise<CatalogAddin[]> {
  const life = lifecycleOf(app);
  // Two lookups for the whole bar (the install list, and every add-in's session record at once), not one per add-in.
  const [list, { addins }] = await Promise.all([life.installs.list(user), life.installs.forSessionAll(user, "web")]);
  const out: CatalogAddin[] = [];
  for (const a of list) {
    if (!a.enabled || a.orgDisabled || a.notice) continue;
    const addin = addins.get(a.id);
    if (addin) out.push({ id: addin.addinId, name: addin.name, manifest: addin.manifest, tier: addin.tier, supplementary: addin.supplementary, source: addin.source, mandatory: a.mandatory });
  }
  return out;
}
