-- Add-in lifecycle (issue 8): the store (publishers, listings, read-only archived versions, reviews), tenant
-- policies, groups, centralized deployments, the audit log, and install records in the user's mailbox.
-- Code: src/store, src/tenant, src/addins. Add-in ids are stored lower-case.

CREATE TABLE store_publishers (
  id text PRIMARY KEY,
  name text NOT NULL,
  owner_user_id text REFERENCES users(id) ON DELETE SET NULL,
  verified boolean NOT NULL DEFAULT false,
  agreement_accepted_at timestamptz,
  privacy_url text,
  support_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX store_publishers_name ON store_publishers (lower(name));

-- Who runs the store (verify publishers, take listings down). The CLI acts as the operator.
CREATE TABLE store_operators (
  user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE
);

-- One listing per add-in id: the first publisher to submit an id owns it.
CREATE TABLE store_listings (
  addin_id text PRIMARY KEY,
  publisher_id text NOT NULL REFERENCES store_publishers(id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  current_version text NOT NULL,
  status text NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'taken-down')),
  takedown_reason text,
  taken_down_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Archived versions: written once, never changed or deleted (the trigger refuses; TRUNCATE, used by tests, is not a row change).
CREATE TABLE store_versions (
  addin_id text NOT NULL REFERENCES store_listings(addin_id) ON DELETE CASCADE,
  version text NOT NULL,
  manifest bytea NOT NULL,
  sha256 text NOT NULL,
  format text NOT NULL,
  tier text NOT NULL,
  supplementary jsonb NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (addin_id, version)
);

CREATE FUNCTION store_versions_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'archived add-in version % % is read-only', OLD.addin_id, OLD.version USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER store_versions_read_only BEFORE UPDATE OR DELETE ON store_versions FOR EACH ROW EXECUTE FUNCTION store_versions_read_only();

CREATE TABLE store_reviews (
  addin_id text NOT NULL REFERENCES store_listings(addin_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (addin_id, user_id)
);

-- One policy row per tenant; `version` goes up with every change (writers send the version they read).
-- The legacy-token switch stays in tenants.legacy_tokens_enabled and threshold overrides in governance_overrides:
-- the policy reads and writes them in the same transaction.
CREATE TABLE tenant_policies (
  tenant_id text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  version integer NOT NULL DEFAULT 1,
  block_user_installs boolean NOT NULL DEFAULT false,
  user_install_max_tier text NOT NULL DEFAULT 'ReadWriteMailbox',
  oce jsonb NOT NULL DEFAULT '{}',
  irm_activation boolean NOT NULL DEFAULT true,
  disabled_addins jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

CREATE TABLE tenant_groups (
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
CREATE TABLE tenant_group_members (
  tenant_id text NOT NULL,
  group_name text NOT NULL,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, group_name, user_id),
  FOREIGN KEY (tenant_id, group_name) REFERENCES tenant_groups(tenant_id, name) ON DELETE CASCADE
);
CREATE INDEX tenant_group_members_user ON tenant_group_members (user_id);

-- Centralized deployment: the tenant's install record of an add-in (manifest as deployed), and whom it targets.
CREATE TABLE tenant_deployments (
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  addin_id text NOT NULL,
  name text NOT NULL,
  version text NOT NULL,
  manifest bytea NOT NULL,
  sha256 text NOT NULL,
  tier text NOT NULL,
  supplementary jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('store', 'file', 'url')),
  source_ref text,
  mandatory boolean NOT NULL DEFAULT false,
  notice text,
  deployed_at timestamptz NOT NULL DEFAULT now(),
  deployed_by text NOT NULL,
  PRIMARY KEY (tenant_id, addin_id)
);
CREATE TABLE tenant_deployment_targets (
  tenant_id text NOT NULL,
  addin_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('everyone', 'group', 'user')),
  value text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, addin_id, kind, value),
  FOREIGN KEY (tenant_id, addin_id) REFERENCES tenant_deployments(tenant_id, addin_id) ON DELETE CASCADE
);

-- Install records in the user's mailbox (like Exchange's hidden associated items): deleted with the mailbox.
-- source 'admin' rows hold only the user's own state of an optional deployment (disabled, pinned).
CREATE TABLE mailbox_addins (
  mailbox_id text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  addin_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('store', 'file', 'url', 'admin')),
  source_ref text,
  name text NOT NULL,
  version text NOT NULL,
  manifest bytea,
  sha256 text,
  consent jsonb,
  pending_manifest bytea,
  pending_version text,
  enabled boolean NOT NULL DEFAULT true,
  pinned boolean NOT NULL DEFAULT false,
  notice text,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mailbox_id, addin_id)
);
CREATE INDEX mailbox_addins_addin ON mailbox_addins (addin_id);

-- Every install, removal, consent, update, deployment, policy change and store action. tenant_id is null for
-- store-wide actions (the operator reads those).
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id text REFERENCES tenants(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
