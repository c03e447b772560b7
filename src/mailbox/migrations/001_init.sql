-- Outpost mailbox schema. Plain PostgreSQL: runs unchanged on PGlite and on PostgreSQL 15+.

CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Exchange Online switched legacy callback/identity tokens off; this is the per-tenant switch (9042 when off).
  legacy_tokens_enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email text NOT NULL,
  display_name text NOT NULL,
  password_hash text,
  is_admin boolean NOT NULL DEFAULT false,
  time_zone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE mailboxes (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  owner_user_id text REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('user', 'shared')),
  email text NOT NULL,
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mailboxes_email ON mailboxes (lower(email));

-- Who may open which mailbox: the owner, full access (shared mailboxes), or a delegate with a permission level.
CREATE TABLE mailbox_access (
  mailbox_id text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  rights text NOT NULL CHECK (rights IN ('owner', 'full_access', 'editor', 'author', 'reviewer')),
  PRIMARY KEY (mailbox_id, user_id)
);
CREATE INDEX mailbox_access_user ON mailbox_access (user_id);

CREATE TABLE folders (
  id text PRIMARY KEY,
  mailbox_id text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  parent_id text REFERENCES folders(id) ON DELETE CASCADE,
  well_known text,
  display_name text NOT NULL,
  folder_class text NOT NULL DEFAULT 'IPF.Note',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX folders_well_known ON folders (mailbox_id, well_known) WHERE well_known IS NOT NULL;
CREATE INDEX folders_mailbox ON folders (mailbox_id, parent_id);

-- Content-addressed bytes (sha256, hex). Small and large alike; where the bytes live depends on the blob store:
-- rows of blob_chunks (PostgreSQL, in-memory PGlite) or files under <data>/blobs (PGlite on disk).
CREATE TABLE blobs (
  hash text PRIMARY KEY,
  size bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
  hash text NOT NULL,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (hash, seq)
);

CREATE TABLE items (
  id text PRIMARY KEY,
  mailbox_id text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  folder_id text NOT NULL REFERENCES folders(id),
  item_type text NOT NULL CHECK (item_type IN ('message', 'appointment')),
  item_class text NOT NULL,
  change_key integer NOT NULL DEFAULT 1,
  subject text NOT NULL DEFAULT '',
  internet_message_id text,
  conversation_id text,
  conversation_topic text,
  in_reply_to text,
  from_name text,
  from_address text,
  sender_name text,
  sender_address text,
  body_text text,
  body_html text,
  has_attachments boolean NOT NULL DEFAULT false,
  is_read boolean NOT NULL DEFAULT false,
  is_draft boolean NOT NULL DEFAULT false,
  is_irm_protected boolean NOT NULL DEFAULT false,
  is_signed boolean NOT NULL DEFAULT false,
  importance text NOT NULL DEFAULT 'Normal',
  sensitivity text NOT NULL DEFAULT 'Normal',
  sent_at timestamptz,
  received_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  -- appointments
  start_at timestamptz,
  end_at timestamptz,
  location text,
  is_all_day boolean NOT NULL DEFAULT false,
  -- raw RFC 822 bytes as imported (export writes them back byte for byte); null for items created here
  raw_hash text REFERENCES blobs(hash),
  raw_size bigint,
  internet_headers text,
  -- import idempotency: 'mid:<Message-ID>' or 'sha256:<hash of raw>'
  dedupe_key text
);
CREATE UNIQUE INDEX items_dedupe ON items (mailbox_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX items_folder ON items (folder_id, received_at DESC, id);
CREATE INDEX items_conversation ON items (mailbox_id, conversation_id);

CREATE TABLE recipients (
  item_id text NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('to', 'cc', 'bcc', 'reply_to', 'required', 'optional', 'resource')),
  position integer NOT NULL,
  name text NOT NULL DEFAULT '',
  address text NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, kind, position)
);

CREATE TABLE attachments (
  id text PRIMARY KEY,
  item_id text NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('file', 'item', 'cloud')),
  name text NOT NULL,
  content_type text NOT NULL DEFAULT 'application/octet-stream',
  size bigint NOT NULL DEFAULT 0,
  content_id text,
  is_inline boolean NOT NULL DEFAULT false,
  blob_hash text REFERENCES blobs(hash),
  url text,
  modified_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_item ON attachments (item_id, position);

CREATE TABLE item_categories (
  item_id text NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  name text NOT NULL,
  PRIMARY KEY (item_id, name)
);

CREATE TABLE master_categories (
  mailbox_id text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  name text NOT NULL,
  color text NOT NULL DEFAULT 'None',
  PRIMARY KEY (mailbox_id, name)
);

-- Per add-in custom properties of an item (2,500 chars of JSON per item per add-in).
CREATE TABLE custom_properties (
  item_id text NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  addin_id text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (item_id, addin_id)
);

-- Per add-in per user roaming settings (32 KB of JSON).
CREATE TABLE roaming_settings (
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  addin_id text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (user_id, addin_id)
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- Signing keys of this installation (one active). Kept in the database so every app server shares them.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE security_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  surface text NOT NULL,
  reason text NOT NULL,
  tenant_id text,
  user_id text,
  mailbox_id text,
  addin_id text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX security_events_at ON security_events (at DESC);
