-- Governance of misbehaving add-ins (src/governance). No foreign keys to users/tenants: the headless
-- runner and tests govern users that need not exist in the directory.

CREATE TABLE governance_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  addin_id text NOT NULL,
  addin_name text,
  session_id text,
  client text,
  kind text NOT NULL,
  detail text,
  measured double precision,
  threshold double precision,
  unit text,
  count integer,
  limit_count integer,
  disabled boolean NOT NULL DEFAULT false,
  text text NOT NULL
);
CREATE INDEX governance_events_user_addin ON governance_events (user_id, addin_id, id);
CREATE INDEX governance_events_tenant ON governance_events (tenant_id, id);

-- Tenant admin overrides of thresholds (validated in src/governance/thresholds.ts before they land here).
CREATE TABLE governance_overrides (
  tenant_id text NOT NULL,
  name text NOT NULL,
  value integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

-- Count-based limits (time-outs, crashes, failed starts, CPU checks) accumulate per user + add-in + session.
CREATE TABLE governance_counters (
  user_id text NOT NULL,
  addin_id text NOT NULL,
  session_id text NOT NULL,
  counter text NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (user_id, addin_id, session_id, counter)
);

-- Disabled for the user on every client: the key has no client column on purpose.
CREATE TABLE addin_disabled (
  user_id text NOT NULL,
  addin_id text NOT NULL,
  tenant_id text NOT NULL,
  reason text NOT NULL,
  text text NOT NULL,
  event_id bigint,
  disabled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, addin_id)
);
