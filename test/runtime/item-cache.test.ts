/** The per-session item cache: reads after the first cost no item load; any write through the bridge invalidates. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());

function countingLoads(): { count: () => number } {
  const items = fx.host.store.items;
  const original = items.get.bind(items);
  let n = 0;
  items.get = (async (...args: Parameters<typeof original>) => {
    n += 1;
    return original(...args);
  }) as typeof items.get;
  return { count: () => n };
}
const loads = countingLoads();

test("reads share one load; a write invalidates, the next read sees the new value", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "first", bodyText: "body one", isDraft: true }, "drafts");
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "cache", item: draft, form: "compose", tier: "ReadWriteItem" });
  const before = loads.count();
  assert.equal((await client.call("Office.context.mailbox.item.subject.getAsync", [])).value, "first");
  assert.equal((await client.call("Office.context.mailbox.item.body.getAsync", ["text"])).value, "body one");
  assert.equal((await client.call("Office.context.mailbox.item.subject.getAsync", [])).value, "first");
  assert.equal(loads.count() - before, 1, "one item load for three reads");
  assert.equal((await client.call("Office.context.mailbox.item.subject.setAsync", ["second"])).outcome, "ok");
  assert.equal((await client.call("Office.context.mailbox.item.subject.getAsync", [])).value, "second");
  assert.equal((await client.call("Office.context.mailbox.item.body.setAsync", ["body two", { coercionType: "text" }])).outcome, "ok");
  assert.equal((await client.call("Office.context.mailbox.item.body.getAsync", ["text"])).value, "body two");
  const att = await client.call("Office.context.mailbox.item.addFileAttachmentFromBase64Async", [Buffer.from("x").toString("base64"), "x.txt"]);
  assert.equal(att.outcome, "ok", att.reason);
  const list = await client.call("Office.context.mailbox.item.getAttachmentsAsync", []);
  assert.deepEqual((list.value as { name: string }[]).map((a) => a.name), ["x.txt"]);
});

test("a denied write does not invalidate, and sessions do not share entries", async () => {
  const { client: reader } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "cache-r", item: fx.message, form: "read", tier: "ReadItem" });
  const { client: other } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "cache-o", item: fx.message, form: "read", tier: "ReadItem" });
  await reader.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  const before = loads.count();
  const denied = await reader.call("Office.context.mailbox.item.categories.addAsync", [["x"]]);
  assert.equal(denied.outcome, "denied");
  await reader.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  assert.equal(loads.count(), before, "still cached after a denied write");
  await other.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  assert.equal(loads.count(), before + 1, "another session loads its own copy");
});
