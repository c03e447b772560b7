/**
 * Cross-site request refusal for state-changing requests that rely on ambient credentials (cookies). A browser
 * says where a request comes from (Sec-Fetch-Site, Origin); a request from another site is refused before any
 * handler runs. Requests carrying an Authorization header (REST, EWS, Graph clients with bearer tokens) hold no
 * ambient credential and are not checked; neither are non-browser clients that send neither header.
 */
import type { FastifyRequest } from "fastify";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why the request is refused, or undefined when it may go on. */
export function crossSiteReason(request: FastifyRequest, trustedOrigins: readonly string[]): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  if (request.headers.authorization) return undefined;
  const site = header(request, "sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `sec-fetch-site-${site.slice(0, 20)}`;
  const origin = header(request, "origin");
  if (origin !== undefined) {
    const own = `${request.protocol}://${request.headers.host ?? ""}`;
    if (origin !== own && !trustedOrigins.includes(origin)) return "foreign-origin";
  }
  return undefined;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
