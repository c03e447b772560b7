/**
 * Access and ID tokens: JWTs signed with the provider's RS256 key (jose), short-lived, bound to an audience (Graph, or
 * the add-in's own API for SSO), a tenant, a user, a client and the scopes consented. Verification is strict and
 * checks, on every use, that consent still stands and the token was not revoked.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import type { Db, User } from "../mailbox/index.ts";
import { ID_ALG, type IdentityKeys } from "./keys.ts";
import { GRAPH_APP_ID, GRAPH_RESOURCE, isOidcScope } from "./scopes.ts";

/** Access tokens live 10 minutes: short enough that a stolen one is soon useless, long enough for MSAL's cache to matter. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 600;
export const ID_TOKEN_LIFETIME_SECONDS = 600;

export const issuerFor = (base: string, tenantId: string): string => `${base.replace(/\/$/, "")}/identity/${tenantId}/v2.0`;

export type TokenRefusal =
  | "missing"
  | "malformed"
  | "algorithm-not-allowed"
  | "unknown-key"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-issuer"
  | "wrong-audience"
  | "other-tenant"
  | "bad-claims"
  | "revoked"
  | "consent-withdrawn";

export class AccessTokenError extends Error {
  constructor(readonly reason: TokenRefusal) {
    super(`access token refused: ${reason}`);
    this.name = "AccessTokenError";
  }
}

export interface AccessClaims {
  tenantId: string;
  userId: string;
  clientId: string;
  scopes: string[];
  audience: string;
  tokenId: string;
  issuedAt: number;
  expiresAt: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  scopes: string[];
  tokenId: string;
}

export class IdentityTokens {
  constructor(
    private readonly db: Db,
    private readonly keys: IdentityKeys,
    /** Allowed issuer origins; empty: any origin (the path and tenant must still match). */
    private readonly issuerOrigins: readonly string[] = [],
  ) {}

  async issueAccessToken(input: { issuerBase: string; user: User; clientId: string; scopes: readonly string[]; audience?: string; lifetimeSeconds?: number }): Promise<IssuedAccessToken> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const lifetime = input.lifetimeSeconds ?? ACCESS_TOKEN_LIFETIME_SECONDS;
    const tokenId = randomUUID();
    const scopes = input.scopes.filter((s) => !isOidcScope(s));
    const token = await new SignJWT({
      ver: "2.0",
      tid: input.user.tenantId,
      oid: input.user.id,
      azp: input.clientId,
      appid: input.clientId,
      scp: scopes.join(" "),
      preferred_username: input.user.email,
      name: input.user.displayName,
    })
      .setProtectedHeader({ alg: ID_ALG, kid: key.kid, typ: "JWT" })
      .setIssuer(issuerFor(input.issuerBase, input.user.tenantId))
      .setAudience(input.audience ?? GRAPH_RESOURCE)
      .setSubject(input.user.id)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetime)
      .sign(key.privateKey);
    return { token, expiresIn: lifetime, scopes, tokenId };
  }

  /** The OIDC ID token MSAL reads the account from (`aud` = the client). */
  async issueIdToken(input: { issuerBase: string; user: User; clientId: string; nonce?: string }): Promise<string> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ver: "2.0",
      tid: input.user.tenantId,
      oid: input.user.id,
      preferred_username: input.user.email,
      email: input.user.email,
      name: input.user.displayName,
      login_hint: input.user.email,
      ...(input.nonce ? { nonce: input.nonce } : {}),
    })
      .setProtectedHeader({ alg: ID_ALG, kid: key.kid, typ: "JWT" })
      .setIssuer(issuerFor(input.issuerBase, input.user.tenantId))
      .setAudience(input.clientId)
      .setSubject(input.user.id)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ID_TOKEN_LIFETIME_SECONDS)
      .sign(key.privateKey);
  }

  /**
   * Verifies a bearer token for `audience` (Graph by default): signature and algorithm, issuer, audience, lifetime,
   * claim shapes; then, in one query, that every scope is still consented (granted before the token was issued) and
   * that the token was not revoked. Throws AccessTokenError.
   */
  async verify(token: string | undefined, audiences: readonly string[] = [GRAPH_RESOURCE, GRAPH_APP_ID]): Promise<AccessClaims> {
    if (!token) throw new AccessTokenError("missing");
    if (token.length > 8192 || token.split(".").length !== 3) throw new AccessTokenError("malformed");
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AccessTokenError("malformed");
    }
    if (header.alg !== ID_ALG) throw new AccessTokenError("algorithm-not-allowed");
    const key = await this.keys.byKid(String(header.kid ?? ""));
    if (!key) throw new AccessTokenError("unknown-key");
    let payload: Record<string, unknown>;
    try {
      payload = (await jwtVerify(token, key.publicKey, { algorithms: [ID_ALG], clockTolerance: 0, requiredClaims: ["exp", "iat", "nbf", "sub", "jti", "iss", "aud"] })).payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new AccessTokenError("expired");
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new AccessTokenError("bad-signature");
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "nbf") throw new AccessTokenError("not-yet-valid");
      throw new AccessTokenError("malformed");
    }
    const str = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 200;
    if (!str(payload.tid) || !str(payload.sub) || !str(payload.azp) || typeof payload.scp !== "string" || payload.oid !== payload.sub) throw new AccessTokenError("bad-claims");
    const tid = payload.tid as string;
    const iss = String(payload.iss);
    if (!iss.endsWith(`/identity/${tid}/v2.0`)) throw new AccessTokenError("wrong-issuer");
    if (this.issuerOrigins.length && !this.issuerOrigins.some((o) => iss === issuerFor(o, tid))) throw new AccessTokenError("wrong-issuer");
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (aud.length !== 1 || !audiences.includes(String(aud[0]))) throw new AccessTokenError("wrong-audience");
    const scopes = (payload.scp as string).split(" ").filter(Boolean);
    const claims: AccessClaims = {
      tenantId: tid,
      userId: payload.sub as string,
      clientId: payload.azp as string,
      scopes,
      audience: String(aud[0]),
      tokenId: payload.jti as string,
      issuedAt: payload.iat as number,
      expiresAt: new Date((payload.exp as number) * 1000),
    };
    await this.checkStanding(claims);
    return claims;
  }

  /** Consent still in force for every scope (granted no later than the token), and the token not revoked. */
  private async checkStanding(c: AccessClaims): Promise<void> {
    const { rows } = await this.db.query<{ scopes: string[] | null; revoked: boolean; tenant_ok: boolean }>(
      `SELECT
         (SELECT array_agg(scope) FROM oauth_grants g WHERE g.tenant_id = $1 AND g.client_id = $2 AND (g.user_id IS NULL OR g.user_id = $3)
            AND date_trunc('second', g.granted_at) <= to_timestamp($4)) AS scopes,
         EXISTS (SELECT 1 FROM oauth_revoked_tokens WHERE jti = $5) AS revoked,
         EXISTS (SELECT 1 FROM users WHERE id = $3 AND tenant_id = $1) AS tenant_ok`,
      [c.tenantId, c.clientId, c.userId, c.issuedAt, c.tokenId],
    );
    const r = rows[0]!;
    if (!r.tenant_ok) throw new AccessTokenError("other-tenant");
    if (r.revoked) throw new AccessTokenError("revoked");
    const granted = new Set(r.scopes ?? []);
    // SSO tokens carry the add-in's own scope (access_as_user): standing comes from the session that asked for them.
    for (const s of c.scopes) if (s !== "access_as_user" && !granted.has(s)) throw new AccessTokenError("consent-withdrawn");
  }

  /** RFC 7009: revokes one token (kept until it would have expired). Unknown or foreign tokens are ignored, as the RFC says. */
  async revoke(token: string): Promise<boolean> {
    let payload: Record<string, unknown>;
    try {
      const header = decodeProtectedHeader(token);
      const key = await this.keys.byKid(String(header.kid ?? ""));
      if (!key) return false;
      payload = (await jwtVerify(token, key.publicKey, { algorithms: [ID_ALG] })).payload as Record<string, unknown>;
    } catch {
      return false;
    }
    if (typeof payload.jti !== "string" || typeof payload.exp !== "number") return false;
    await this.db.query("INSERT INTO oauth_revoked_tokens (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING", [payload.jti, payload.exp]);
    await this.db.query("DELETE FROM oauth_revoked_tokens WHERE expires_at < now() - interval '1 hour'");
    return true;
  }
}
