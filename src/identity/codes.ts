/** Authorization codes (RFC 6749 §4.1) with PKCE (RFC 7636, S256 only): single use, 5 minutes, stored hashed. */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../mailbox/index.ts";

const CODE_LIFETIME_SECONDS = 300;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** An OAuth error as the token endpoint returns it (RFC 6749 §5.2). */
export class OAuthError extends Error {
  constructor(
    readonly error: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope" | "access_denied" | "unsupported_response_type" | "consent_required" | "interaction_required" | "login_required",
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }
}

const hash = (code: string) => createHash("sha256").update(code).digest("hex");
export const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export function checkChallenge(challenge: string | undefined, method: string | undefined): string {
  if (!challenge) throw new OAuthError("invalid_request", "PKCE is required: code_challenge is missing.");
  if ((method ?? "plain") !== "S256") throw new OAuthError("invalid_request", "code_challenge_method must be S256.");
  if (!CHALLENGE.test(challenge)) throw new OAuthError("invalid_request", "code_challenge is not a base64url SHA-256 digest.");
  return challenge;
}

export interface CodeGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
}

export class AuthorizationCodes {
  constructor(private readonly db: Db) {}

  async create(grant: CodeGrant & { codeChallenge: string }): Promise<string> {
    const code = randomBytes(32).toString("base64url");
    await this.db.query(
      `INSERT INTO oauth_codes (code_hash, client_id, tenant_id, user_id, redirect_uri, scopes, code_challenge, nonce, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, now() + make_interval(secs => $9))`,
      [hash(code), grant.clientId, grant.tenantId, grant.userId, grant.redirectUri, JSON.stringify(grant.scopes), grant.codeChallenge, grant.nonce, CODE_LIFETIME_SECONDS],
    );
    await this.db.query("DELETE FROM oauth_codes WHERE expires_at < now() - interval '1 hour'");
    return code;
  }

  /** Redeems a code once: the first redemption marks it used atomically; any other is invalid_grant. */
  async redeem(input: { code: string; clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined }): Promise<CodeGrant> {
    if (!input.codeVerifier) throw new OAuthError("invalid_request", "PKCE is required: code_verifier is missing.");
    if (!VERIFIER.test(input.codeVerifier)) throw new OAuthError("invalid_request", "code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-].");
    const { rows } = await this.db.query<{ client_id: string; tenant_id: string; user_id: string; redirect_uri: string; scopes: string[]; code_challenge: string; nonce: string | null; expired: boolean }>(
      `UPDATE oauth_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL
       RETURNING client_id, tenant_id, user_id, redirect_uri, scopes, code_challenge, nonce, expires_at < now() AS expired`,
      [hash(input.code)],
    );
    const r = rows[0];
    if (!r) throw new OAuthError("invalid_grant", "The authorization code is unknown or was already redeemed.");
    if (r.expired) throw new OAuthError("invalid_grant", "The authorization code has expired.");
    if (r.client_id !== input.clientId) throw new OAuthError("invalid_grant", "The authorization code was issued to another client.");
    if (input.redirectUri !== r.redirect_uri) throw new OAuthError("invalid_grant", "redirect_uri does not match the one the code was issued for.");
    if (s256(input.codeVerifier) !== r.code_challenge) throw new OAuthError("invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge.");
    return { clientId: r.client_id, tenantId: r.tenant_id, userId: r.user_id, redirectUri: r.redirect_uri, scopes: r.scopes, nonce: r.nonce };
  }
}
