/**
 * The add-in origin: Outpost's demo and reference add-ins (examples/) and the browser office.js, served from an
 * origin of their own (another port), so an add-in page is never same-origin with the web client. Its pages may be
 * framed by the client's origin only (frame-ancestors), and it holds no session, cookie or API.
 */
import Fastify, { type FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import { browserOfficeJs } from "../../runtime/shim/source.ts";
import { EXAMPLES_DIR } from "../plugins/demo-addins.ts";

export interface AddinOriginOptions {
  /** The web client's origin(s) allowed to frame add-in pages (may be filled in after creation). */
  clientOrigins: string[];
  https?: { key: string; cert: string };
  logger?: boolean | object;
  /** More folders to serve, by URL prefix (e.g. { "/fixtures/": dir } for test add-ins). */
  roots?: Record<string, string>;
}

export async function createAddinOriginServer(options: AddinOriginOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: (options.logger ?? false) as never, ...(options.https ? { https: options.https } : {}) }) as unknown as FastifyInstance;
  const officeJs = browserOfficeJs();
  app.addHook("onSend", async (_request, reply) => {
    // Read on every response: the client's origin may be known only once it listens.
    reply.header("Content-Security-Policy", `frame-ancestors ${options.clientOrigins.join(" ") || "'none'"}`);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "strict-origin-when-cross-origin");
    if (options.https) reply.header("Strict-Transport-Security", "max-age=31536000");
  });
  app.get("/office.js", async (_request, reply) => reply.type("application/javascript; charset=utf-8").header("cache-control", "no-cache").send(officeJs));
  await app.register(fastifyStatic, { root: EXAMPLES_DIR, prefix: "/examples/", index: false, cacheControl: false });
  for (const [prefix, root] of Object.entries(options.roots ?? {})) {
    await app.register(fastifyStatic, { root, prefix, index: false, cacheControl: false, decorateReply: false });
  }
  app.get("/", async () => ({ name: "Outpost add-in origin", examples: "/examples/" }));
  return app;
}
