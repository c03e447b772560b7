/**
 * Outpost's identity provider over HTTP (the protocol lives in src/identity):
 * - OpenID Connect discovery and JWKS, the authorization endpoint (code + PKCE, sign-in and consent pages), the token
 *   endpoint (authorization_code) and revocation (RFC 7009), under /identity/{tenant}/… like Entra ID's v2.0 paths;
 * - the host broker endpoint /identity/naa, which Outpost's host page calls on behalf of an add-in's frame (MSAL.js
 *   nested app auth, Office.auth.getAccessToken), signed with the bridge session's secret the host page holds;
 * - the consent dialog (/identity/consent), app registrations and consent management for users and admins.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  ConsentError,
  Identity,
  OAuthError,
  RegistrationError,
  SCOPES,
  ScopeError,
  ScopeNotRegistered,
  checkChallenge,
  issuerFor,
  readTicket,
  scopeDef,
  type AppRegistration,
} from "../../identity/index.ts";
import { installNaaBroker } from "../../web/addin-host/naa-broker.ts";
import type { User } from "../../mailbox/index.ts";
import { loadSessionUser, requireAdmin, requireUser, setSessionCookie } from "../auth/session.ts";
import { Refusal } from "../errors.ts";
import { consentPage, dialogResultPage, errorPage, pageHeaders, signInPage } from "./identity-pages.ts";

type TenantParams = { tenant: string };
const NAA_CLOCK_SKEW_MS = 120_000;

const NaaEnvelope = z
  .object({
    v: z.literal(1),
    session: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    ts: z.number().int(),
    op: z.enum(["init", "token", "consent", "sso"]),
    params: z.record(z.string(), z.unknown()),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** The MAC the host page computes (WebCrypto HMAC-SHA256) over the envelope without its MAC. */
export function naaMac(secret: Buffer, e: Omit<z.infer<typeof NaaEnvelope>, "mac">): string {
  return createHmac("sha256", secret).update(JSON.stringify([e.v, e.session, e.nonce, e.ts, e.op, e.params])).digest("hex");
}

export default async function identityRoutes(app: FastifyInstance): Promise<void> {
  const identity = Identity.of(app.mailbox);
  const sessions = app.bridgeSessions;
  const origin = (request: FastifyRequest) => (process.env.OUTPOST_PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, "");
  const brokerJs = `(${installNaaBroker.toString()})`;

  // Browser apps (MSAL's standard PublicClientApplication) read discovery, keys and the token endpoint cross-origin.
  // These carry no ambient credential (no cookie is read), so any origin may.
  app.addHook("onRequest", async (request, reply) => {
    if (/^\/identity\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/(token|revoke))(\?|$)/.test(request.url)) reply.header("access-control-allow-origin", "*");
  });

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const security = (request: FastifyRequest, reason: string, e: { tenantId?: string | null; userId?: string | null; clientId?: string | null; detail?: Record<string, unknown> }) => {
    request.log.warn({ surface: "identity", reason, ...e }, "identity request refused");
    return app.mailbox.security
      .record({ surface: "identity", reason, tenantId: e.tenantId ?? null, userId: e.userId ?? null, mailboxId: null, addinId: e.clientId ?? null, detail: { url: request.url.slice(0, 300), ip: request.ip, ...e.detail } })
      .catch((err) => request.log.error({ err }, "could not store security event"));
  };

  const oauthError = async (request: FastifyRequest, reply: FastifyReply, err: OAuthError, ctx: { clientId?: string | null; tenantId?: string | null } = {}) => {
    await security(request, `oauth-${err.error}`, { ...ctx, detail: { description: err.description } });
    return reply.code(err.status).header("cache-control", "no-store").send({ error: err.error, error_description: err.description });
  };

  const tenantOf = async (param: string) => (param === "common" || param === "organizations" ? null : (await app.mailbox.directory.getTenant(param)) ? param : undefined);

  // ── Discovery and keys ──────────────────────────────────────────────────────────────────────────
  app.get<{ Params: TenantParams }>("/identity/:tenant/v2.0/.well-known/openid-configuration", async (request, reply) => {
    const t = await tenantOf(request.params.tenant);
    if (t === undefined) return reply.code(400).send({ error: "invalid_tenant", error_description: `Tenant '${request.params.tenant.slice(0, 100)}' not found.` });
    const base = `${origin(request)}/identity/${request.params.tenant}`;
    return {
      issuer: t ? issuerFor(origin(request), t) : `${origin(request)}/identity/{tenantid}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      revocation_endpoint: `${base}/oauth2/v2.0/revoke`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ["code"],
      response_modes_supported: ["query", "fragment"],
      grant_types_supported: ["authorization_code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["none"],
      code_challenge_methods_supported: ["S256"],
      scopes_supported: SCOPES.map((s) => s.name),
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "preferred_username", "email", "oid", "tid", "nonce", "login_hint"],
      tenant_region_scope: null,
    };
  });
  app.get<{ Params: TenantParams }>("/identity/:tenant/discovery/v2.0/keys", async (_request, reply) => {
    reply.header("cache-control", "public, max-age=3600");
    return identity.keys.jwks();
  });

  // ── Authorization endpoint ──────────────────────────────────────────────────────────────────────
  type AuthzQuery = Record<string, string | undefined>;
  /** Validates an authorization request. Errors before the redirect URI is trusted are shown, never redirected. */
  const checkAuthorize = async (q: AuthzQuery): Promise<{ reg: AppRegistration; scopes: string[]; redirectUri: string } | { page: string }> => {
    const reg = q.client_id ? await identity.registrations.get(q.client_id) : undefined;
    if (!reg) return { page: errorPage("Unknown application", `No application with client id '${(q.client_id ?? "").slice(0, 100)}' is registered.`) };
    if (!q.redirect_uri || !reg.redirectUris.includes(q.redirect_uri)) return { page: errorPage("Redirect URI not registered", `'${(q.redirect_uri ?? "").slice(0, 200)}' is not a redirect URI of ${reg.displayName}.`) };
    let scopes: string[];
    try {
      scopes = identity.registrations.requestable(reg, q.scope ?? "openid");
    } catch (e) {
      if (e instanceof ScopeError || e instanceof ScopeNotRegistered) throw Object.assign(new OAuthError("invalid_scope", e.message), { redirectUri: q.redirect_uri });
      throw e;
    }
    if (q.response_type !== "code") throw Object.assign(new OAuthError("unsupported_response_type", "Only response_type=code is supported."), { redirectUri: q.redirect_uri });
    try {
      checkChallenge(q.code_challenge, q.code_challenge_method);
    } catch (e) {
      throw Object.assign(e as OAuthError, { redirectUri: q.redirect_uri });
    }
    return { reg, scopes, redirectUri: q.redirect_uri };
  };
  const redirectWith = (reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>) => {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return reply.code(302).header("location", u.toString()).header("cache-control", "no-store").send();
  };
  const AUTHZ_FIELDS = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method", "prompt"];
  const pick = (q: AuthzQuery) => Object.fromEntries(AUTHZ_FIELDS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]!]));

  const authorize = async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply, q: AuthzQuery, decision?: string) => {
    let checked;
    try {
      checked = await checkAuthorize(q);
    } catch (e) {
      if (e instanceof OAuthError) {
        await security(request, `oauth-${e.error}`, { clientId: q.client_id ?? null, detail: { description: e.description } });
        return redirectWith(reply, (e as OAuthError & { redirectUri: string }).redirectUri, { error: e.error, error_description: e.description, state: q.state });
      }
      throw e;
    }
    if ("page" in checked) {
      await security(request, "oauth-invalid-authorize-request", { clientId: q.client_id ?? null });
      return reply.code(400).headers(pageHeaders()).send(checked.page);
    }
    const { reg, scopes, redirectUri } = checked;
    await loadSessionUser(request);
    const user = request.sessionUser;
    const action = `/identity/${encodeURIComponent(request.params.tenant)}/oauth2/v2.0/authorize`;
    if (!user) {
      if (q.prompt === "none") return redirectWith(reply, redirectUri, { error: "login_required", error_description: "No user is signed in.", state: q.state });
      return reply.headers(pageHeaders()).send(signInPage({ action: `/identity/${encodeURIComponent(request.params.tenant)}/login`, hidden: pick(q) }));
    }
    if ((request.params.tenant !== "common" && request.params.tenant !== "organizations" && request.params.tenant !== user.tenantId) || (reg.tenantId && reg.tenantId !== user.tenantId)) {
      await security(request, "oauth-other-tenant", { tenantId: user.tenantId, userId: user.id, clientId: reg.clientId });
      return redirectWith(reply, redirectUri, { error: "access_denied", error_description: "The application or the tenant in the URL is not the user's organisation.", state: q.state });
    }
    if (decision === "cancel") return redirectWith(reply, redirectUri, { error: "access_denied", error_description: "The user declined the consent.", state: q.state });
    let missing = await identity.consents.missing(user.tenantId, reg.clientId, user.id, scopes);
    if (missing.length && decision === "accept") {
      try {
        await identity.consents.grant({ tenantId: user.tenantId, clientId: reg.clientId, userId: user.id, scopes: missing, grantedBy: user.id, registered: reg.scopes });
      } catch (e) {
        if (e instanceof ConsentError) return redirectWith(reply, redirectUri, { error: "consent_required", error_description: e.message, state: q.state });
        throw e;
      }
      missing = [];
    }
    if (missing.length) {
      if (q.prompt === "none") return redirectWith(reply, redirectUri, { error: "consent_required", error_description: `Consent is needed for ${missing.join(", ")}.`, state: q.state });
      const admin = missing.filter((s) => scopeDef(s)?.adminConsentRequired);
      if (admin.length) return redirectWith(reply, redirectUri, { error: "consent_required", error_description: `AADSTS90094: ${admin.join(", ")} need an administrator's consent.`, state: q.state });
      return reply.headers(pageHeaders()).send(consentPage({ appName: reg.displayName, publisher: reg.publisher, scopes: missing, admin: false, action, hidden: pick(q), userEmail: user.email }));
    }
    const code = await identity.codes.create({ clientId: reg.clientId, tenantId: user.tenantId, userId: user.id, redirectUri, scopes, nonce: q.nonce ?? null, codeChallenge: q.code_challenge! });
    return redirectWith(reply, redirectUri, { code, state: q.state });
  };
  app.get<{ Params: TenantParams; Querystring: AuthzQuery }>("/identity/:tenant/oauth2/v2.0/authorize", async (request, reply) => authorize(request, reply, request.query));
  app.post<{ Params: TenantParams; Body: AuthzQuery }>("/identity/:tenant/oauth2/v2.0/authorize", async (request, reply) => authorize(request, reply, request.body ?? {}, request.body?.decision));

  app.post<{ Params: TenantParams; Body: AuthzQuery }>("/identity/:tenant/login", async (request, reply) => {
    const b = request.body ?? {};
    const user = await app.mailbox.directory.authenticate(String(b.email ?? ""), String(b.password ?? ""));
    if (!user) {
      await security(request, "sign-in-failed", { clientId: b.client_id ?? null });
      return reply.code(401).headers(pageHeaders()).send(signInPage({ action: request.url, hidden: pick(b), error: "Wrong email or password." }));
    }
    const session = await app.mailbox.directory.createSession(user.id);
    setSessionCookie(request, reply, session.id, session.expiresAt);
    request.sessionUser = user;
    return authorize(request, reply, b);
  });

  // ── Token and revocation endpoints ──────────────────────────────────────────────────────────────
  app.post<{ Params: TenantParams; Body: Record<string, string | undefined> }>("/identity/:tenant/oauth2/v2.0/token", async (request, reply) => {
    const b = request.body ?? {};
    reply.header("cache-control", "no-store").header("pragma", "no-cache");
    try {
      if (b.grant_type !== "authorization_code") throw new OAuthError("unsupported_grant_type", `grant_type '${String(b.grant_type ?? "").slice(0, 60)}' is not supported (authorization_code only).`);
      if (!b.client_id || !b.code) throw new OAuthError("invalid_request", "client_id and code are required.");
      const reg = await identity.registrations.get(b.client_id);
      if (!reg) throw new OAuthError("invalid_client", `No application with client id '${b.client_id.slice(0, 100)}'.`, 401);
      const grant = await identity.codes.redeem({ code: b.code, clientId: b.client_id, redirectUri: b.redirect_uri, codeVerifier: b.code_verifier });
      if (request.params.tenant !== "common" && request.params.tenant !== "organizations" && request.params.tenant !== grant.tenantId) throw new OAuthError("invalid_grant", "The code was issued in another tenant.");
      const user = await app.mailbox.directory.getUser(grant.userId);
      if (!user) throw new OAuthError("invalid_grant", "The user no longer exists.");
      const missing = await identity.consents.missing(user.tenantId, reg.clientId, user.id, grant.scopes);
      if (missing.length) throw new OAuthError("invalid_grant", `Consent for ${missing.join(", ")} was withdrawn.`);
      const base = origin(request);
      const access = await identity.tokens.issueAccessToken({ issuerBase: base, user, clientId: reg.clientId, scopes: grant.scopes });
      const idToken = grant.scopes.includes("openid") ? await identity.tokens.issueIdToken({ issuerBase: base, user, clientId: reg.clientId, ...(grant.nonce ? { nonce: grant.nonce } : {}) }) : undefined;
      return { token_type: "Bearer", scope: grant.scopes.join(" "), expires_in: access.expiresIn, ext_expires_in: access.expiresIn, access_token: access.token, ...(idToken ? { id_token: idToken } : {}) };
    } catch (e) {
      if (e instanceof OAuthError) return oauthError(request, reply, e, { clientId: b.client_id ?? null });
      throw e;
    }
  });
  app.post<{ Params: TenantParams; Body: Record<string, string | undefined> }>("/identity/:tenant/oauth2/v2.0/revoke", async (request, reply) => {
    const token = request.body?.token;
    if (!token) return oauthError(request, reply, new OAuthError("invalid_request", "token is required."));
    await identity.tokens.revoke(token);
    return reply.code(200).send();
  });

  // ── Host broker (NAA and SSO) ───────────────────────────────────────────────────────────────────
  app.get("/identity/naa-broker.js", async (_request, reply) => {
    reply.type("application/javascript; charset=utf-8").header("cache-control", "no-cache");
    return `var __name = function (f) { return f; };\nwindow.outpostInstallNaaBroker = ${brokerJs};\n`;
  });

  app.post("/identity/naa", async (request, reply) => {
    const parsed = NaaEnvelope.safeParse(request.body);
    const refuse = async (reason: string, status = 401) => {
      await security(request, `naa-${reason}`, {});
      return reply.code(status).send({ ok: false, error: { status: "PERSISTENT_ERROR", code: "unauthorized", description: "The host broker request was refused." } });
    };
    if (!parsed.success) return refuse("malformed", 400);
    const e = parsed.data;
    const session = await sessions.get(e.session);
    if (!session || session === "expired") return refuse(session ? "expired-session" : "unknown-session");
    const expected = Buffer.from(naaMac(session.secret, e), "hex");
    if (!timingSafeEqual(expected, Buffer.from(e.mac, "hex"))) return refuse("bad-mac");
    if (Math.abs(Date.now() - e.ts) > NAA_CLOCK_SKEW_MS) return refuse("stale");
    const fresh = await app.mailbox.db.query("INSERT INTO naa_nonces (session_id, nonce, expires_at) VALUES ($1, $2, now() + interval '5 minutes') ON CONFLICT DO NOTHING RETURNING nonce", [e.session, e.nonce]);
    if (!fresh.rows.length) return refuse("replay");
    if (Math.random() < 0.01) await app.mailbox.db.query("DELETE FROM naa_nonces WHERE expires_at < now()");
    const spec = session.spec;
    const origin2 = typeof e.params.origin === "string" && /^https?:\/\/[^/]+$/.test(e.params.origin) ? e.params.origin : undefined;
    const subject = { tenantId: spec.tenantId, userId: spec.userId, addinId: spec.addinId, ...(origin2 ? { origin: origin2 } : {}) };
    const base = origin(request);
    switch (e.op) {
      case "init":
        return { ok: true, initContext: await identity.broker.initContext(subject, base) };
      case "token": {
        const result = await identity.broker.token(subject, e.params, base);
        if (!result.ok && result.error.subError !== "consent_required") await security(request, `naa-${result.error.code}`, { tenantId: spec.tenantId, userId: spec.userId, clientId: String(e.params.clientId ?? "").slice(0, 100), detail: { description: result.error.description } });
        return result.ok ? { ok: true, token: result.token, account: result.account } : { ok: false, error: result.error };
      }
      case "consent": {
        const r = await identity.broker.consentTicket(subject, e.params);
        if ("error" in r) return { ok: false, error: r.error };
        if ("none" in r) return { ok: true, consentUrl: null };
        return { ok: true, consentUrl: `/identity/consent?ticket=${encodeURIComponent(r.ticket)}`, scopes: r.scopes };
      }
      case "sso": {
        const r = await identity.broker.sso(subject, base);
        if (!r.ok) await security(request, `sso-${r.error.code}`, { tenantId: spec.tenantId, userId: spec.userId, detail: { addinId: spec.addinId } });
        return r;
      }
    }
  });

  // ── Consent dialog (opened by the host broker) ──────────────────────────────────────────────────
  const ticketUser = async (request: FastifyRequest, ticket: string | undefined): Promise<{ user: User; t: NonNullable<Awaited<ReturnType<typeof readTicket>>>; reg: AppRegistration } | string> => {
    const t = ticket ? await readTicket(identity.keys, ticket) : undefined;
    if (!t) return "The consent request is invalid or has expired.";
    await loadSessionUser(request);
    const user = request.sessionUser;
    if (!user || user.id !== t.userId) return "Sign in to Outpost as the user this request is for.";
    const reg = await identity.registrations.get(t.clientId);
    if (!reg) return "The application is no longer registered.";
    return { user, t, reg };
  };
  app.get<{ Querystring: { ticket?: string } }>("/identity/consent", async (request, reply) => {
    const r = await ticketUser(request, request.query.ticket);
    if (typeof r === "string") {
      await security(request, "consent-ticket-refused", {});
      return reply.code(400).headers(pageHeaders()).send(errorPage("Cannot ask for consent", r));
    }
    return reply
      .headers(pageHeaders())
      .send(consentPage({ appName: r.reg.displayName, publisher: r.reg.publisher, scopes: r.t.scopes, admin: false, action: "/identity/consent", hidden: { ticket: request.query.ticket! }, userEmail: r.user.email }));
  });
  app.post<{ Body: { ticket?: string; decision?: string } }>("/identity/consent", async (request, reply) => {
    const r = await ticketUser(request, request.body?.ticket);
    if (typeof r === "string") {
      await security(request, "consent-ticket-refused", {});
      return reply.code(400).headers(pageHeaders()).send(errorPage("Cannot record consent", r));
    }
    const nonce = randomBytes(16).toString("base64");
    if (request.body?.decision !== "accept") return reply.headers(pageHeaders(nonce)).send(dialogResultPage("cancelled", nonce));
    try {
      await identity.consents.grant({ tenantId: r.user.tenantId, clientId: r.reg.clientId, userId: r.user.id, scopes: r.t.scopes, grantedBy: r.user.id, registered: r.reg.scopes });
    } catch (e) {
      if (e instanceof ConsentError) return reply.code(403).headers(pageHeaders()).send(errorPage("Consent refused", e.message));
      throw e;
    }
    return reply.headers(pageHeaders(nonce)).send(dialogResultPage("accepted", nonce));
  });

  // ── Registrations and consent management (JSON) ─────────────────────────────────────────────────
  const Registration = z
    .object({
      clientId: z.string().max(100).optional(),
      addinId: z.string().max(200).nullable().optional(),
      displayName: z.string().min(1).max(200),
      publisher: z.string().max(200).optional(),
      redirectUris: z.array(z.string().max(2000)).max(50).optional(),
      scopes: z.array(z.string().max(100)).max(50).optional(),
      ssoResource: z.string().max(400).nullable().optional(),
      allTenants: z.boolean().optional(),
    })
    .strict();
  const jsonError = (reply: FastifyReply, status: number, error: string, message: string) => reply.code(status).send({ error, message });

  app.get("/identity/registrations", async (request) => {
    await loadSessionUser(request);
    const admin = requireAdmin(request);
    return { value: (await identity.registrations.list()).filter((r) => r.tenantId === null || r.tenantId === admin.tenantId) };
  });
  app.post("/identity/registrations", async (request, reply) => {
    await loadSessionUser(request);
    const admin = requireAdmin(request);
    const body = Registration.safeParse(request.body);
    if (!body.success) return jsonError(reply, 400, "invalid-request", body.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    try {
      const { allTenants, ...rest } = body.data;
      return reply.code(201).send(await identity.registrations.create({ ...rest, tenantId: allTenants ? null : admin.tenantId }));
    } catch (e) {
      if (e instanceof RegistrationError) return jsonError(reply, 400, "invalid-registration", e.message);
      throw e;
    }
  });
  /** The signed-in user's grants (their own and their organisation's). */
  app.get("/identity/grants", async (request) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    return { value: await identity.consents.listForUser(user.tenantId, user.id) };
  });
  app.delete<{ Params: { clientId: string }; Querystring: { scope?: string } }>("/identity/grants/:clientId", async (request) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const removed = await identity.consents.revoke({ tenantId: user.tenantId, clientId: request.params.clientId, userId: user.id, ...(request.query.scope ? { scopes: request.query.scope.split(" ") } : {}) });
    return { removed };
  });
  app.post<{ Body: { clientId?: unknown; scopes?: unknown } }>("/identity/admin-consent", async (request, reply) => {
    await loadSessionUser(request);
    const admin = requireAdmin(request);
    const reg = typeof request.body?.clientId === "string" ? await identity.registrations.get(request.body.clientId) : undefined;
    if (!reg) return jsonError(reply, 404, "unknown-client", "No such application.");
    const scopes = Array.isArray(request.body?.scopes) ? (request.body.scopes as unknown[]).map(String) : reg.scopes;
    try {
      return { granted: await identity.consents.grant({ tenantId: admin.tenantId, clientId: reg.clientId, userId: null, scopes, grantedBy: admin.id, registered: reg.scopes }) };
    } catch (e) {
      if (e instanceof ConsentError) return jsonError(reply, 400, e.reason, e.message);
      throw e;
    }
  });

  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof Refusal) {
      await security(request, err.reason, {});
      return reply.code(err.status).send({ error: err.status === 401 ? "unauthenticated" : "forbidden", message: err.message });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: "invalid-request", message: err.message });
    request.log.error({ err }, "identity request failed");
    return reply.code(500).send({ error: "internal", message: "An internal error occurred." });
  });
}
