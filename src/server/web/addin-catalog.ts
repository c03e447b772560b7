/**
 * Which add-ins a signed-in user has in the web client, with their manifests: the user's installed, enabled add-ins
 * and the admin deployments that target them (the lifecycle API's install records), each with the tier the user
 * consented to — the same lookup POST /bridge/sessions makes, so the bar never offers what the bridge would refuse.
 */
import type { FastifyInstance } from "fastify";
import { LifecycleError } from "../../addins/index.ts";
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
  // One lookup per add-in, issued together (a pooled PostgreSQL runs them side by side), kept in the list's order.
  const found = await Promise.all(
    (await life.installs.list(user))
      .filter((a) => a.enabled && !a.orgDisabled && !a.notice)
      .map(async (a): Promise<CatalogAddin | undefined> => {
        try {
          const { addin } = await life.installs.forSession(user, a.id, "web");
          return { id: addin.addinId, name: addin.name, manifest: addin.manifest, tier: addin.tier, supplementary: addin.supplementary, source: addin.source, mandatory: a.mandatory };
        } catch (err) {
          if (!(err instanceof LifecycleError)) throw err;
          return undefined;
        }
      }),
  );
  return found.filter((a): a is CatalogAddin => a !== undefined);
}
