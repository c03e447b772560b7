/**
 * The `outpost` package: each domain as a namespace, so names never collide across domains.
 * Add-in developers' test helpers live at `outpost/testing`.
 */
export * as permissions from "./permissions/index.ts";
export * as manifest from "./manifest/index.ts";
export * as activation from "./activation/index.ts";
export * as mailbox from "./mailbox/index.ts";
