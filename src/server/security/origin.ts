/**
 * Cross-site request refusal for state-changing requests that rely on ambient credentials: Outpost's session
 * cookie, or a sign-in that would create one (login CSRF). A browser says where a request comes from
 * (Sec-Fetch-Site, Origin); such a request from another site is refused before any handler runs.
 *
 * Not checked, because they carry no ambient credential and browsers legitimately send them cross-origin from an
 * add-in's page: requests with an Authorization header (REST, EWS, Graph with bearer tokens), and requests without
 * the session cookie — the identity provider's token and revoke endpoints (MSAL posts a form body from the add-in's
 * origin), Graph upload-session URLs (the URL is the credential) — and non-browser clients that send neither header.
 */
import type { FastifyRequest } from "fastify";
import { SESSION_COOKIE } from "../auth/session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const HAS_SESSION_COOKIE = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`);
/** Routes that create a cookie session from a password: a cross-site post would sign the victim in as the attacker. */
const SIGN_IN_PATHS = [/^\/api\/session(?:\/password)?$/, /^\/identity\/[^/]{1,100}\/login$/];

/** Why the request is refused, or undefined when it may go on. */
export function crossSiteReason(request: FastifyRequest, trustedOrigins: readonly string[]): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  if (request.headers.authorization) return undefined;
  if (!carriesAmbientCredential(request)) return undefined;
  const origin = header(request, "origin");
  if (origin !== undefined && trustedOrigins.includes(origin)) return undefined;
  // Sec-Fetch-Site is set by the browser alone (a forbidden header) and is exact; it is trusted when present. A
  // same-origin form post under Referrer-Policy no-referrer carries `Origin: null`, which Sec-Fetch-Site clears.
  const site = header(request, "sec-fetch-site");
  if (site) return site === "same-origin" || site === "none" ? undefined : `sec-fetch-site-${site.slice(0, 20)}`;
  // Older browsers: the Origin must be our own ("null", from a sandboxed frame or a redirect, is not).
  if (origin !== undefined) {
    const own = `${request.protocol}://${request.headers.host ?? ""}`;
    if (origin !== own) return "foreign-origin";
  }
  return undefined;
}

/** The session cookie is sent, or the route signs in with a password (and would set it). */
export function carriesAmbientCredential(request: FastifyRequest): boolean {
  const cookie = header(request, "cookie");
  if (cookie && HAS_SESSION_COOKIE.test(cookie)) return true;
  const path = request.url.split("?")[0] ?? "";
  return SIGN_IN_PATHS.some((p) => p.test(path));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
