-- The attachment lookup of 003 was a PL/pgSQL function so that its plan was kept per session. Both databases now
-- keep plans by naming repeated statements (PostgreSQL: node-postgres named statements; PGlite: pglite-prepared.mjs),
-- and the plain join is about twice as fast as the function call on PGlite. The query lives in items.ts again.
DROP FUNCTION IF EXISTS outpost_attachment_for_user(text, text, text);
