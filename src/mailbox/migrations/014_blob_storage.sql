-- Where an installation on PostgreSQL keeps attachment bytes (issue 14): in the database (blob_chunks, the default)
-- or as content-addressed files in a directory every app server mounts (`outpost serve --blob-dir`,
-- OUTPOST_BLOB_DIR). Recorded once, on first use: a server started with the other choice is refused instead of
-- answering "not found" for every attachment the other storage holds. `dir_id` is also written to
-- <dir>/outpost-blobs.json, so a server pointed at an empty local folder instead of the shared volume is refused too.
CREATE TABLE blob_storage (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  kind text NOT NULL CHECK (kind IN ('database', 'directory')),
  dir_id text,
  chosen_at timestamptz NOT NULL DEFAULT now()
);
