-- Per-request lookups as PL/pgSQL functions: PL/pgSQL keeps each statement's plan for the session, so the
-- planner does not run again on every request. On PGlite (PostgreSQL in WASM) planning a three-way join costs
-- about as much as running it; on PostgreSQL it saves less but costs nothing. Same functions on both.

-- Attachment download: where the item lives, the user's rights there, and the attachment (null columns when the
-- item has no such attachment). No row when the item does not exist. The caller authorizes before streaming.
CREATE FUNCTION outpost_attachment_for_user(p_item text, p_attachment text, p_user text)
RETURNS TABLE (mailbox_id text, tenant_id text, rights text, a_id text, a_item_id text, a_kind text, a_name text,
  a_content_type text, a_size bigint, a_content_id text, a_is_inline boolean, a_blob_hash text, a_url text,
  a_modified_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT i.mailbox_id, m.tenant_id, acc.rights, a.id, a.item_id, a.kind, a.name, a.content_type, a.size, a.content_id,
    a.is_inline, a.blob_hash, a.url, a.modified_at
  FROM items i JOIN mailboxes m ON m.id = i.mailbox_id
  LEFT JOIN mailbox_access acc ON acc.mailbox_id = i.mailbox_id AND acc.user_id = p_user
  LEFT JOIN attachments a ON a.id = p_attachment AND a.item_id = i.id
  WHERE i.id = p_item;
END
$$;

-- GET /me/messages lists a whole mailbox newest first.
CREATE INDEX items_mailbox_received ON items (mailbox_id, received_at DESC, id);
