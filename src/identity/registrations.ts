/** App registrations: one per add-in, naming its client id, redirect URIs, the Graph scopes it asks for and its SSO resource. */
import { randomUUID } from "node:crypto";
import type { Db } from "../mailbox/index.ts";
import { isOidcScope, parseScopes, scopeDef, ScopeError, SSO_SCOPE } from "./scopes.ts";

export interface AppRegistration {
  clientId: string;
  /** null: any tenant may use it. */
  tenantId: string | null;
  addinId: string | null;
  displayName: string;
  publisher: string;
  redirectUris: string[];
  scopes: string[];
  ssoResource: string | null;
}

export interface NewRegistration {
  clientId?: string;
  tenantId?: string | null;
  addinId?: string | null;
  displayName: string;
  publisher?: string;
  redirectUris?: string[];
  scopes?: string[];
  ssoResource?: string | null;
}

/** A registration refused: names the field and the problem. */
export class RegistrationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "RegistrationError";
  }
}

type Row = {
  client_id: string;
  tenant_id: string | null;
  addin_id: string | null;
  display_name: string;
  publisher: string;
  redirect_uris: string[];
  scopes: string[];
  sso_resource: string | null;
};

const toRegistration = (r: Row): AppRegistration => ({
  clientId: r.client_id,
  tenantId: r.tenant_id,
  addinId: r.addin_id,
  displayName: r.display_name,
  publisher: r.publisher,
  redirectUris: r.redirect_uris,
  scopes: r.scopes,
  ssoResource: r.sso_resource,
});

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Redirect URIs: absolute https, or http only on loopback (RFC 8252 §7.3); no fragments. */
export function checkRedirectUri(uri: string, field = "redirectUris"): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new RegistrationError(field, `'${uri.slice(0, 200)}' is not an absolute URL`);
  }
  if (u.hash) throw new RegistrationError(field, `'${uri.slice(0, 200)}' must not have a fragment`);
  const loopback = u.hostname === "localhost" || u.hostname === "127.0.0.1" || u.hostname === "[::1]";
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback) && !u.protocol.startsWith("brk-")) throw new RegistrationError(field, `'${uri.slice(0, 200)}' must use https (http only on localhost)`);
  return u.toString();
}

export class AppRegistrations {
  constructor(private readonly db: Db) {}

  async create(input: NewRegistration): Promise<AppRegistration> {
    const clientId = input.clientId ?? randomUUID();
    if (!CLIENT_ID.test(clientId)) throw new RegistrationError("clientId", "letters, digits, '.', '_' and '-' only, at most 100");
    if (!input.displayName || input.displayName.length > 200) throw new RegistrationError("displayName", "required, at most 200 characters");
    const redirectUris = (input.redirectUris ?? []).map((u, i) => checkRedirectUri(u, `redirectUris[${i}]`));
    const scopes: string[] = [];
    for (const [i, s] of (input.scopes ?? []).entries()) {
      const d = scopeDef(s);
      if (!d) throw new RegistrationError(`scopes[${i}]`, `unknown scope '${s.slice(0, 100)}'`);
      if (!scopes.includes(d.name)) scopes.push(d.name);
    }
    if (input.ssoResource != null && !/^(api:\/\/|https:\/\/)\S{1,300}$/.test(input.ssoResource)) throw new RegistrationError("ssoResource", "must be an api:// or https:// URI");
    const { rows } = await this.db.query<Row>(
      `INSERT INTO app_registrations (client_id, tenant_id, addin_id, display_name, publisher, redirect_uris, scopes, sso_resource)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)
       ON CONFLICT (client_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, addin_id = EXCLUDED.addin_id, display_name = EXCLUDED.display_name,
         publisher = EXCLUDED.publisher, redirect_uris = EXCLUDED.redirect_uris, scopes = EXCLUDED.scopes, sso_resource = EXCLUDED.sso_resource
       RETURNING *`,
      [clientId, input.tenantId ?? null, input.addinId ?? null, input.displayName, input.publisher ?? "", JSON.stringify(redirectUris), JSON.stringify(scopes), input.ssoResource ?? null],
    ).catch((e: Error) => {
      if (/app_registrations_addin/.test(e.message)) throw new RegistrationError("addinId", `another registration already belongs to add-in '${input.addinId}'`);
      throw e;
    });
    return toRegistration(rows[0]!);
  }

  async get(clientId: string): Promise<AppRegistration | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    const { rows } = await this.db.query<Row>("SELECT * FROM app_registrations WHERE client_id = $1", [clientId]);
    return rows[0] && toRegistration(rows[0]);
  }

  async forAddin(addinId: string): Promise<AppRegistration | undefined> {
    const { rows } = await this.db.query<Row>("SELECT * FROM app_registrations WHERE addin_id = $1", [addinId]);
    return rows[0] && toRegistration(rows[0]);
  }

  async list(): Promise<AppRegistration[]> {
    return (await this.db.query<Row>("SELECT * FROM app_registrations ORDER BY display_name, client_id")).rows.map(toRegistration);
  }

  async remove(clientId: string): Promise<boolean> {
    return (await this.db.query("DELETE FROM app_registrations WHERE client_id = $1 RETURNING client_id", [clientId])).rows.length > 0;
  }

  /**
   * The scopes of a request's scope string. Least privilege: a Graph scope the registration does not ask for is
   * refused (ScopeNotRegistered), never granted on the fly; the sign-in scopes are always allowed.
   */
  requestable(reg: AppRegistration, scope: string): string[] {
    const scopes = parseScopes(scope, reg.scopes);
    for (const s of scopes) if (!isOidcScope(s) && !reg.scopes.includes(s)) throw new ScopeNotRegistered(s);
    return scopes;
  }
}

/**
 * A request for the add-in's own API (its SSO resource, `<resource>/access_as_user` or `<resource>/.default`) through
 * NAA: the token's audience is that resource and its scope access_as_user, as Entra issues for an API an app exposes.
 * Undefined when the request names no such scope; ScopeError when it mixes the API with Graph scopes (one token,
 * one resource: Entra's AADSTS28000).
 */
export function ownApiRequest(reg: AppRegistration, scope: string): { audience: string; scopes: string[]; requested: string } | undefined {
  const resource = reg.ssoResource?.replace(/\/$/, "").toLowerCase();
  if (!resource) return undefined;
  const raw = scope.split(/\s+/).filter(Boolean).slice(0, 50);
  const own = raw.filter((s) => s.toLowerCase() === `${resource}/${SSO_SCOPE}` || s.toLowerCase() === `${resource}/.default`);
  if (!own.length) return undefined;
  const others = raw.filter((s) => !own.includes(s));
  if (others.some((s) => !isOidcScope(s))) throw new MixedResourceScope(scope);
  return { audience: reg.ssoResource!, scopes: [...others.map((s) => scopeDef(s)!.name), SSO_SCOPE], requested: `${reg.ssoResource!.replace(/\/$/, "")}/${SSO_SCOPE}` };
}

/** Entra's AADSTS28000: one token is for one resource. */
export class MixedResourceScope extends ScopeError {
  constructor(scope: string) {
    super(scope);
    this.message = `The scope '${scope.slice(0, 200)}' names more than one resource (AADSTS28000): ask for the API's scope alone, and Graph's in another request.`;
  }
}

export class ScopeNotRegistered extends Error {
  constructor(readonly scope: string) {
    super(`The application asked for '${scope}', which its registration does not list.`);
    this.name = "ScopeNotRegistered";
  }
}
