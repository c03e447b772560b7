import { randomBytes } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from "fastify";
import cookie from "@fastify/cookie";
import type { MailboxStore } from "../mailbox/index.ts";
import type { ServerSettings } from "./types.ts";
import "./types.ts";
import wellKnownRoutes from "./plugins/well-known.ts";
import webApiRoutes from "./routes/web-api.ts";
import restV2Routes from "./routes/rest-v2.ts";
import ewsRoutes from "./routes/ews.ts";
import modernAuthRoutes from "./routes/modern-auth.ts";
import demoAddinRoutes from "./plugins/demo-addins.ts";
import bridgeRoutes from "./plugins/bridge.ts";
import { SqlSessionStore } from "../runtime/sessions/sql-store.ts";
import addinRoutes from "./routes/addins.ts";
import adminRoutes from "./routes/admin.ts";
import storeRoutes from "./routes/store.ts";
import webMailRoutes from "./routes/web-mail.ts";
import webClientRoutes from "./plugins/web-client.ts";
import securityPlugin from "./security/plugin.ts";
import { secureLogger } from "./security/redact.ts";
import { DEFAULT_MAX_CONNECTIONS_PER_ADDRESS } from "./security/connections.ts";

export interface CreateServerOptions {
  store: MailboxStore;
  /** fastify/pino logger options; false in tests. */
  logger?: FastifyServerOptions["logger"];
  /** Secret for signed session cookies; set the same value on every app server. Random per process if absent. */
  cookieSecret?: string;
  settings?: Partial<ServerSettings>;
  /** Serve HTTPS with this key and certificate (PEM); see `outpost serve --https`. */
  https?: { key: string; cert: string };
  /** More areas (e.g. the runtime bridge): each is one plugin, registered after the built-in ones. */
  plugins?: Array<{ plugin: FastifyPluginAsync; prefix?: string }>;
}

/** The built-in areas, one plugin each. A new area is one file and one line here (or via `options.plugins`). */
const AREAS: Array<{ plugin: FastifyPluginAsync; prefix?: string }> = [
  { plugin: wellKnownRoutes },
  { plugin: webApiRoutes, prefix: "/api" },
  { plugin: restV2Routes },
  { plugin: ewsRoutes },
  { plugin: modernAuthRoutes },
  { plugin: demoAddinRoutes },
  { plugin: bridgeRoutes },
  { plugin: addinRoutes, prefix: "/api" },
  { plugin: adminRoutes, prefix: "/api" },
  { plugin: storeRoutes, prefix: "/api" },
  { plugin: webMailRoutes, prefix: "/api/web" },
  { plugin: webClientRoutes },
];

/** Builds the Outpost HTTP server over a mailbox store. The server keeps no state between requests. */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.https ? { https: { key: options.https.key, cert: options.https.cert, minVersion: "TLSv1.2" as const } } : {}),
    logger: secureLogger(options.logger ?? false),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // Item ids are URL-safe already; no need for the router to accept anything longer.
    routerOptions: { maxParamLength: 200 },
  });
  app.decorate("mailbox", options.store);
  app.decorate("bridgeSessions", new SqlSessionStore(options.store.db));
  app.decorate("outpost", { ewsMaxBytes: 5 * 1024 * 1024, secureCookies: false, maxConnectionsPerAddress: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, maxBridgeSessionsPerUser: 50, ...options.settings });
  // Before every area: headers, JSON-only parsing, cross-site and input checks apply to all of them.
  await app.register(securityPlugin);
  await app.register(cookie, { secret: options.cookieSecret ?? process.env.OUTPOST_COOKIE_SECRET ?? randomBytes(32).toString("hex") });
  for (const area of [...AREAS, ...(options.plugins ?? [])]) await app.register(area.plugin, area.prefix ? { prefix: area.prefix } : {});
  return app;
}
