/**
 * The web surface's defences, in one plugin registered before every area (so its hooks and parser choices apply
 * to all of them):
 * - security headers on every response (helmet, its middleware built once: @fastify/helmet rebuilt it, parsing the
 *   CSP, on every request): a CSP with `frame-ancestors 'none'`, nosniff, X-Frame-Options, Referrer-Policy. A route
 *   that must differ (the web client, the add-in host page) replaces the header in its handler
 *   (`reply.header("content-security-policy", …)`);
 * - JSON-only bodies: fastify's text/plain parser is removed, so a cross-site `<form enctype="text/plain">` or a
 *   "simple" fetch cannot reach a JSON route (415). Areas that take XML (EWS) add their own parser;
 * - a cross-site check (Sec-Fetch-Site / Origin) on state-changing requests that ride on the session cookie or sign in
 *   with a password (origin.ts); bearer, token-endpoint and upload-URL requests from add-in origins are not its business;
 * - NUL characters and repeated query parameters answered with a 400 naming the field;
 * - connections per client address capped.
 */
import helmet from "helmet";
import type { FastifyInstance } from "fastify";
import { checkInput } from "./input-guard.ts";
import { crossSiteReason } from "./origin.ts";
import { limitConnectionsPerAddress } from "./connections.ts";
import { redactUrl } from "./redact.ts";

/** The CSP of every page unless a route sets its own. Nothing inline runs, nothing frames us. */
export const DEFAULT_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  frameSrc: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

async function securityPlugin(app: FastifyInstance): Promise<void> {
  const settings = app.outpost;
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: DEFAULT_CSP_DIRECTIVES },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // HSTS belongs to `serve --https` (it must never be sent over plain HTTP); the opener and resource policies
    // would cut the add-in dialogs and the cross-origin add-in frames off from the host page.
    hsts: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));

  app.removeContentTypeParser("text/plain");

  app.addHook("onRequest", async (request, reply) => {
    const reason = crossSiteReason(request, settings.trustedOrigins ?? []);
    if (!reason) return;
    request.log.warn({ reason, url: redactUrl(request.url).slice(0, 300), origin: request.headers.origin }, "cross-site request refused");
    await app.mailbox.security
      .record({ surface: "web", reason: "cross-site-request", detail: { why: reason, method: request.method, url: redactUrl(request.url).slice(0, 300), ip: request.ip, origin: String(request.headers.origin ?? "").slice(0, 200) } })
      .catch(() => undefined);
    return reply.code(403).send({ error: { code: "CrossSiteRequest", message: "This request came from another site and was refused." } });
  });

  app.addHook("preValidation", async (request) => {
    // A route that reads its own body as a stream (`streamedBody`) checks what it parses itself.
    const config = request.routeOptions.config;
    if (config?.allowNul || config?.streamedBody) return;
    checkInput(request);
  });

  if (settings.maxConnectionsPerAddress > 0) {
    limitConnectionsPerAddress(app.server, settings.maxConnectionsPerAddress, (address) => app.log.warn({ address }, "connection refused: too many from this address"));
  }
}

// Not encapsulated: the headers, parser removal and hooks apply to every area registered after it.
(securityPlugin as unknown as Record<symbol, boolean>)[Symbol.for("skip-override")] = true;
export default securityPlugin;
