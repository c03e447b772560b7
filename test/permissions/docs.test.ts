/** The committed generated reference matches the table, and the hand-written docs explain every tier choice. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_TABLE, TIER_CHOICES } from "../../src/permissions/index.ts";
import { PERMISSION_DOCS_PATH, renderPermissionDocs } from "../../tools/gen-permission-docs.ts";

test("docs/reference/permissions.md is up to date (regenerate: node --import tsx tools/gen-permission-docs.ts)", () => {
  assert.equal(readFileSync(PERMISSION_DOCS_PATH, "utf8"), renderPermissionDocs());
});

test("the generated reference lists every member", () => {
  const text = renderPermissionDocs();
  for (const m of API_TABLE) assert.ok(text.includes(`\`${m.path.replace(/^Office\.context\.mailbox\./, "mailbox.")}\``), m.path);
});

test("docs/permissions.md explains every tier choice", () => {
  const text = readFileSync(new URL("../../docs/permissions.md", import.meta.url), "utf8");
  for (const id of Object.keys(TIER_CHOICES)) assert.ok(text.includes(`\`${id}\``), id);
});
