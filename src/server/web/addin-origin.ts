/**
 * Where add-in pages really load from. Manifests name their URLs; Outpost's own demo manifests name the demo origin
 * (https://localhost:3000), which on a developer's machine is the client's own origin — so those are rewritten to the
 * configured add-in origin (its own port), keeping add-in pages cross-origin to the client.
 */
import type { FastifyInstance } from "fastify";

export const DEMO_MANIFEST_ORIGIN = "https://localhost:3000";

export function addinUrlMapper(app: FastifyInstance): (url: string) => string {
  return (url: string) => {
    const target = app.outpost.addinOrigin;
    if (!target) return url;
    try {
      const u = new URL(url);
      if (u.origin !== DEMO_MANIFEST_ORIGIN) return url;
      return new URL(u.pathname + u.search + u.hash, target).toString();
    } catch {
      return url;
    }
  };
}
