-- Outpost's identity provider (src/identity): app registrations per add-in, consent per scope, authorization codes,
-- revoked tokens, its own RS256 signing keys, and the third legacy-token mode ("removed"). Plain PostgreSQL.

-- Legacy Exchange tokens: enabled (legacy_tokens_enabled), disabled (not enabled), removed (the Graph-era end state).
ALTER TABLE tenants ADD COLUMN legacy_tokens_removed boolean NOT NULL DEFAULT false;

CREATE TABLE identity_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One registration per add-in: what the add-in's MSAL.js names as clientId.
CREATE TABLE app_registrations (
  client_id text PRIMARY KEY,
  -- null: usable by every tenant (multi-tenant app); else only by users of that tenant
  tenant_id text REFERENCES tenants(id) ON DELETE CASCADE,
  addin_id text,
  display_name text NOT NULL,
  publisher text NOT NULL DEFAULT '',
  redirect_uris jsonb NOT NULL DEFAULT '[]',
  -- Graph scopes the app asks for (its "API permissions"); consent can only be given within these
  scopes jsonb NOT NULL DEFAULT '[]',
  -- webApplicationInfo/Resource: the audience of Office.auth.getAccessToken (SSO) tokens
  sso_resource text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_registrations_addin ON app_registrations (addin_id) WHERE addin_id IS NOT NULL;

-- Consent, one row per scope: a user's own (user_id set) or an admin's for the whole tenant (user_id null).
CREATE TABLE oauth_grants (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  client_id text NOT NULL REFERENCES app_registrations(client_id) ON DELETE CASCADE,
  user_id text REFERENCES users(id) ON DELETE CASCADE,
  scope text NOT NULL,
  granted_by text NOT NULL,
  consent_text_version integer NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX oauth_grants_key ON oauth_grants (tenant_id, client_id, coalesce(user_id, ''), scope);

-- Authorization codes (stored hashed), single use, bound to client, redirect URI and PKCE challenge.
CREATE TABLE oauth_codes (
  code_hash text PRIMARY KEY,
  client_id text NOT NULL REFERENCES app_registrations(client_id) ON DELETE CASCADE,
  tenant_id text NOT NULL,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  scopes jsonb NOT NULL,
  code_challenge text NOT NULL,
  nonce text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Tokens revoked one by one (RFC 7009) until they would have expired anyway.
CREATE TABLE oauth_revoked_tokens (
  jti text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oauth_revoked_tokens_expires ON oauth_revoked_tokens (expires_at);

-- One-time nonces of host-broker (NAA) requests signed with a bridge session's secret.
CREATE TABLE naa_nonces (
  session_id text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, nonce)
);

-- Graph attachment upload sessions (createUploadSession): the URL's random id is the credential; chunks accumulate here.
CREATE TABLE graph_upload_sessions (
  id text PRIMARY KEY,
  item_id text NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  mailbox_id text NOT NULL,
  name text NOT NULL,
  content_type text NOT NULL,
  size bigint NOT NULL,
  is_inline boolean NOT NULL DEFAULT false,
  content_id text,
  data bytea NOT NULL DEFAULT ''::bytea,
  expires_at timestamptz NOT NULL
);
