/** body.setSignatureAsync and body.setSelectedDataAsync change the draft (they are not no-ops). */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY } from "../../src/permissions/index.ts";
import type { Item } from "../../src/mailbox/index.ts";
import { makeFixture } from "./fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());
const B = "Office.context.mailbox.item.body";

async function compose(item: Item) {
  const { client } = await fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: "compose-body", item, form: "compose", tier: "ReadWriteItem", supplementary: [], tenant: ON_PREMISES_POLICY });
  return (member: string, args: unknown[] = []) => client.call(member, args);
}

test("setSignatureAsync appends a signature and a second call replaces it", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "Sig", bodyText: "Hello", isDraft: true }, "drafts");
  const call = await compose(draft);
  assert.equal((await call(`${B}.setSignatureAsync`, ["Alice"])).outcome, "ok");
  assert.equal((await call(`${B}.setSignatureAsync`, ["Alice Example"])).outcome, "ok");
  const body = (await call(`${B}.getAsync`, ["text"])).value as string;
  assert.match(body, /^Hello\n-- \nAlice Example$/);
  const tooLong = await call(`${B}.setSignatureAsync`, ["x".repeat(30_001)]);
  assert.notEqual(tooLong.outcome, "ok");
});

test("setSelectedDataAsync inserts at the cursor (the start of the body, with no UI selection)", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "Sel", bodyText: "world", isDraft: true }, "drafts");
  const call = await compose(draft);
  assert.equal((await call(`${B}.setSelectedDataAsync`, ["Hello, ", { coercionType: "text" }])).outcome, "ok");
  assert.equal((await call(`${B}.getAsync`, ["text"])).value, "Hello, world");
});

test("a write needs the user's write rights on the mailbox as well as the add-in's tier", async () => {
  const draft = await fx.host.createItem(fx.mailbox, { subject: "Theirs", bodyText: "Body", isDraft: true }, "drafts");
  const { user: reviewer } = await fx.host.provisionUser({ tenantId: fx.user.tenantId, displayName: "Reviewer" });
  await fx.host.store.mailboxes.grant(fx.mailbox.id, reviewer.id, "reviewer");
  const { client } = await fx.host.openSession({ user: reviewer, mailbox: fx.mailbox, addinId: "compose-body", item: draft, form: "compose", tier: "ReadWriteMailbox", supplementary: [], tenant: ON_PREMISES_POLICY });
  const read = await client.call(`${B}.getAsync`, ["text"]);
  assert.equal(read.outcome, "ok", "reading is within a reviewer's rights");
  for (const [member, args] of [[`${B}.setAsync`, ["changed"]], ["Office.context.mailbox.item.subject.setAsync", ["changed"]], ["Office.context.mailbox.item.saveAsync", []]] as const) {
    const r = await client.call(member, [...args]);
    assert.equal(r.outcome, "failed", member);
    assert.equal(r.error?.code, 9038, member);
  }
  assert.equal((await fx.host.store.items.get(draft.id))?.subject, "Theirs");
});
