-- The least-privilege auditor's static verdict on each archived store version (src/audit/package.ts: StoredVerdict),
-- computed at submission from the manifest and the code submitted with it. NULL for versions archived before.
-- Adding a column fires no row trigger: archived versions stay read-only.
ALTER TABLE store_versions ADD COLUMN audit jsonb;
