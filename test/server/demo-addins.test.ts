/** The landing page, the demo add-in catalogue and the example files are served. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openMailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";

const store = await openMailboxStore({ memory: true });
const app = await createServer({ store });
after(async () => {
  await app.close();
  await store.close();
});

test("the catalogue lists every demo add-in, valid, with its tier and consent headline", async () => {
  const res = await app.inject({ method: "GET", url: "/api/demo-addins" });
  assert.equal(res.statusCode, 200);
  const list = res.json() as { valid: boolean; tier: string; path: string; headline: string }[];
  assert.ok(list.length >= 6);
  for (const a of list) assert.equal(a.valid, true, a.path);
  for (const tier of ["Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"]) assert.ok(list.some((a) => a.tier === tier), tier);
});

test("the landing page and an example page are served; nothing outside examples/ is", async () => {
  const home = await app.inject({ method: "GET", url: "/" });
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /Demo add-ins/);
  const page = await app.inject({ method: "GET", url: "/examples/read-item/index.html" });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /office\.js/);
  const escape = await app.inject({ method: "GET", url: "/examples/..%2f..%2fpackage.json" });
  assert.notEqual(escape.statusCode, 200);
});
