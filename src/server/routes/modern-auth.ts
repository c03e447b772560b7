/** Modern auth: the identity provider (identity.ts) and the Graph mail surface (graph.ts), each its own encapsulated plugin. */
import type { FastifyInstance } from "fastify";
import graphRoutes from "./graph.ts";
import identityRoutes from "./identity.ts";

export default async function modernAuthRoutes(app: FastifyInstance): Promise<void> {
  await app.register(identityRoutes);
  await app.register(graphRoutes);
}
