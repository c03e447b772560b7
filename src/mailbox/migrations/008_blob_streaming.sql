-- Attachment bytes built for streaming (issue 14).
-- Chunks are stored uncompressed out of line: attachments are mostly compressed formats already (PDF, images,
-- Office files), pglz would spend CPU on every write trying, and reads then skip decompression entirely; the
-- download path reads them through binary COPY (see src/mailbox/blobs/db-blob-store.ts).
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
-- Existing chunks are re-stored under the new storage (a changed value is toasted afresh; an unchanged one would
-- keep its compressed form).
UPDATE blob_chunks SET data = data || '\x'::bytea;

-- Streaming uploads write their chunks before the bytes' hash is known, outside the item's transaction (a slow
-- client must not hold a transaction open), under a temporary key recorded here. The item's transaction then
-- names the chunks by their hash (or drops them when the same bytes are already stored). Uploads cut short by a
-- crash are swept after a day.
CREATE TABLE blob_uploads (
  key text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now()
);
