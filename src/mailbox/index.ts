/**
 * The mailbox: storage (PGlite or PostgreSQL), MIME import/export, seeding and tier-scoped tokens.
 * Open a store with `openMailboxStore`, then use its areas: `directory`, `mailboxes`, `items`, `addinData`,
 * `security`, `tokens`. See docs/mailbox.md.
 */
export { openMailboxStore, storeFromDb, truncateAll, type OpenStoreOptions } from "./open.ts";
export { MailboxStore } from "./store/store.ts";
export type { Db, Queryable } from "./db/db.ts";
export { openPglite } from "./db/pglite.ts";
export { openPostgres } from "./db/postgres.ts";
export { migrate } from "./db/migrate.ts";
export type { BlobStore, StagedBlob } from "./blobs/blob-store.ts";
export { blobBody } from "./blobs/blob-store.ts";
export { BlobStorageMismatch } from "./blobs/blob-storage-choice.ts";
export { AttachmentTooLargeError, MailboxError, type MailboxErrorCode, type StorageLimit } from "./errors.ts";
export { base64Pieces, base64Stream } from "./blobs/base64.ts";
export * from "./store/types.ts";
export { LIMITS, parseHeaderBlock, type NewItem, type ItemPatch, type NewAttachment, type ItemOrder } from "./store/items.ts";
export { CUSTOM_PROPERTIES_MAX_CHARS, ROAMING_SETTINGS_MAX_CHARS } from "./store/addin-data.ts";
export { importMessages, type ImportOptions, type ImportResult, type ImportProgress } from "./import/importer.ts";
export { readMessages, countMessages, type RawMessage } from "./import/sources.ts";
export { exportMailbox, type ExportResult } from "./import/exporter.ts";
export { parseMessage, type ParsedMessage } from "./mime/parse.ts";
export { seedDemoMailbox, DEMO_PASSWORD, type SeedOptions, type SeedResult } from "./seed/seed.ts";
export { generateSeedMessages } from "./seed/messages.ts";
export { authorizeTokenUse, type TokenClaims, type OperationTarget, type Decision, type RefusalReason } from "./tokens/authorize.ts";
export { TokenIssueError, TokenRefusedError, TOKEN_ISSUER, type CallbackTokenRequest, type IssuedToken } from "./tokens/tokens.ts";
export * from "./tokens/scopes.ts";
export { isId, newId } from "./ids.ts";
