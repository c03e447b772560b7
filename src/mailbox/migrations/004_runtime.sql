-- Runtime bridge sessions and their traces (src/runtime/sessions/sql-store.ts). In the database so that the app
-- server keeps no state between requests: several servers share sessions, and a replayed message is refused by
-- whichever server sees it second (last_seq is advanced with a conditional UPDATE).

CREATE TABLE bridge_sessions (
  id text PRIMARY KEY,
  secret bytea NOT NULL,
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  mailbox_id text NOT NULL,
  addin_id text NOT NULL,
  addin_name text,
  item_id text,
  form text NOT NULL,
  item_type text NOT NULL,
  client text NOT NULL,
  tier text NOT NULL,
  supplementary jsonb NOT NULL,
  tenant_policy jsonb NOT NULL,
  activation jsonb,
  state jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seq bigint NOT NULL DEFAULT 0,
  calls integer NOT NULL DEFAULT 0,
  epoch integer NOT NULL DEFAULT 0,
  closed boolean NOT NULL DEFAULT false
);
CREATE INDEX bridge_sessions_expires ON bridge_sessions (expires_at);
CREATE INDEX bridge_sessions_user ON bridge_sessions (user_id);

CREATE TABLE bridge_trace (
  session_id text NOT NULL REFERENCES bridge_sessions (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  member text NOT NULL,
  path text NOT NULL,
  args text NOT NULL,
  outcome text NOT NULL,
  code integer NOT NULL,
  ms double precision NOT NULL,
  at timestamptz NOT NULL,
  detail text,
  PRIMARY KEY (session_id, seq)
);
