import type { FastifyInstance } from "fastify";

/** Public keys of the installation, so add-in servers can verify identity tokens; and a liveness probe. */
export default async function wellKnownRoutes(app: FastifyInstance): Promise<void> {
  app.get("/.well-known/jwks.json", async (_request, reply) => {
    reply.header("Cache-Control", "public, max-age=300");
    return app.mailbox.tokens.jwks();
  });
  app.get("/healthz", async () => {
    await app.mailbox.db.query("SELECT 1");
    return { ok: true };
  });
}
