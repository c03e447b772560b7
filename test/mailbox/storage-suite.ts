import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { MailboxError, importMessages, generateSeedMessages, type MailboxStore } from "../../src/mailbox/index.ts";
import { type Backend, bytes, collect, smallWorld } from "./helpers.ts";

/** The storage suite: the same cases against every backend. */
export function storageSuite(makeBackend: () => Promise<Backend>): void {
  let backend: Backend;
  let store: MailboxStore;
  before(async () => {
    backend = await makeBackend();
  });
  after(async () => {
    await backend?.close();
  });
  const fresh = async () => {
    store = await backend.fresh();
    return smallWorld(store);
  };

  describe("mailboxes and folders", () => {
    it("creates own and shared mailboxes with well-known folders, resolvable by name", async () => {
      const w = await fresh();
      for (const name of ["inbox", "Drafts", "SENTITEMS", "deleteditems", "junkemail", "archive", "calendar", "msgfolderroot"]) {
        const f = await store.mailboxes.resolveFolder(w.alice.mailbox.id, name);
        assert.ok(f, name);
        assert.equal(f.mailboxId, w.alice.mailbox.id);
      }
      assert.equal(await store.mailboxes.resolveFolder(w.alice.mailbox.id, "nonsense"), undefined);
      const inboxOfBob = await store.mailboxes.resolveFolder(w.bob.mailbox.id, "inbox");
      assert.equal(await store.mailboxes.resolveFolder(w.alice.mailbox.id, inboxOfBob!.id), undefined, "a folder id of another mailbox does not resolve");
      assert.equal((await store.mailboxes.get(w.support.id))?.kind, "shared");
    });

    it("grants delegate rights within a tenant only and reports them", async () => {
      const w = await fresh();
      await store.mailboxes.grant(w.support.id, w.alice.user.id, "full_access");
      await store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
      assert.equal(await store.mailboxes.rightsOf(w.alice.user.id, w.support.id), "full_access");
      assert.equal(await store.mailboxes.rightsOf(w.bob.user.id, w.alice.mailbox.id), "reviewer");
      assert.equal(await store.mailboxes.rightsOf(w.eve.user.id, w.alice.mailbox.id), undefined);
      await assert.rejects(store.mailboxes.grant(w.alice.mailbox.id, w.eve.user.id, "editor"), /across tenants/);
      const list = await store.mailboxes.listForUser(w.alice.user.id);
      assert.deepEqual(list.map((g) => g.rights), ["owner", "full_access"]);
      await store.mailboxes.revoke(w.alice.mailbox.id, w.bob.user.id);
      assert.equal(await store.mailboxes.rightsOf(w.bob.user.id, w.alice.mailbox.id), undefined);
    });

    it("creates and renames user folders, refusing duplicates and renaming well-known ones", async () => {
      const w = await fresh();
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const f = await store.mailboxes.createFolder(w.alice.mailbox.id, inbox.id, "Projects");
      await assert.rejects(store.mailboxes.createFolder(w.alice.mailbox.id, inbox.id, "projects"), (e: MailboxError) => e.code === "Conflict");
      assert.equal((await store.mailboxes.renameFolder(f.id, "Work")).displayName, "Work");
      await assert.rejects(store.mailboxes.renameFolder(inbox.id, "x"), (e: MailboxError) => e.code === "AccessDenied");
      assert.equal((await store.mailboxes.getFolder(inbox.id))!.childFolderCount, 1);
    });
  });

  describe("items", () => {
    it("creates an item with recipients, bodies, categories and attachments stored once", async () => {
      const w = await fresh();
      const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
      const data = bytes(70_000);
      const input = {
        subject: "Hello",
        bodyText: "plain",
        bodyHtml: "<p>html</p>",
        to: [{ name: "Bob", address: "bob@contoso.example" }],
        cc: [{ name: "", address: "x@example.com" }],
        categories: ["Red"],
        isDraft: true,
        attachments: [{ name: "a.bin", data, contentType: "application/octet-stream" }],
      };
      const a = await store.items.create(w.alice.mailbox.id, drafts.id, input);
      const b = await store.items.create(w.alice.mailbox.id, drafts.id, input);
      assert.equal(a.subject, "Hello");
      assert.deepEqual(a.recipients.to, [{ name: "Bob", address: "bob@contoso.example" }]);
      assert.deepEqual(a.categories, ["Red"]);
      assert.equal(a.hasAttachments, true);
      assert.equal(a.attachments[0]!.size, data.byteLength);
      const { rows } = await store.db.query<{ n: number }>("SELECT count(*) AS n FROM blobs");
      assert.equal(Number(rows[0]!.n), 1, "same bytes stored once");
      const got = await collect(store.items.openAttachment((await store.items.getAttachment(b.id, b.attachments[0]!.id))!));
      assert.ok(got.data.equals(data));
    });

    it("streams a large attachment in bounded chunks", async () => {
      const w = await fresh();
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const data = bytes(3 * 1024 * 1024 + 17, 7);
      const item = await store.items.create(w.alice.mailbox.id, inbox.id, { subject: "big", attachments: [{ name: "big.bin", data }] });
      const att = (await store.items.getAttachment(item.id, item.attachments[0]!.id))!;
      const got = await collect(store.items.openAttachment(att));
      assert.ok(got.data.equals(data));
      assert.ok(got.chunks > 1, "more than one chunk");
      assert.ok(got.maxChunk <= 512 * 1024, `chunks stay small (max ${got.maxChunk})`);
    });

    it("updates, moves, copies and deletes; change key grows; content edits drop the stored MIME", async () => {
      const w = await fresh();
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const archive = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "archive"))!;
      const [msg] = [...generateSeedMessages(1, { to: { name: "Alice", address: "alice@contoso.example" } })];
      await importMessages(store, (async function* () { yield msg!; })(), { mailboxId: w.alice.mailbox.id });
      const id = (await store.items.list(inbox.id)).items[0]!.id;
      assert.ok(await store.items.rawMime(id));
      const read = await store.items.update(id, { isRead: true, categories: ["Blue"] });
      assert.equal(read.isRead, true);
      assert.ok(await store.items.rawMime(id), "flags and categories keep the MIME");
      const edited = await store.items.update(id, { subject: "Changed" });
      assert.equal(edited.changeKey, 3);
      assert.equal(await store.items.rawMime(id), undefined);
      const moved = await store.items.move(id, archive.id);
      assert.equal(moved.folderId, archive.id);
      const copy = await store.items.copy(id, inbox.id);
      assert.notEqual(copy.id, id);
      assert.equal(copy.subject, "Changed");
      assert.deepEqual(copy.categories, ["Blue"]);
      const bobInbox = (await store.mailboxes.resolveFolder(w.bob.mailbox.id, "inbox"))!;
      await assert.rejects(store.items.move(id, bobInbox.id), (e: MailboxError) => e.code === "NotFound");
      await store.items.delete(id);
      assert.equal(await store.items.get(id), undefined);
      assert.ok(await store.items.get(copy.id));
    });

    it("validates limits: subject, recipients, attachment size, end before start", async () => {
      const w = await fresh();
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      await assert.rejects(store.items.create(w.alice.mailbox.id, inbox.id, { subject: "x".repeat(256) }), (e: MailboxError) => e.code === "InvalidRequest");
      const many = Array.from({ length: 501 }, (_, i) => ({ name: "", address: `u${i}@x.example` }));
      await assert.rejects(store.items.create(w.alice.mailbox.id, inbox.id, { to: many }), (e: MailboxError) => e.code === "LimitExceeded");
      await assert.rejects(
        store.items.create(w.alice.mailbox.id, inbox.id, { attachments: [{ name: "big", data: new Uint8Array(25 * 1024 * 1024 + 1) }] }),
        (e: MailboxError) => e.code === "LimitExceeded",
      );
      await assert.rejects(store.items.create(w.alice.mailbox.id, inbox.id, { start: new Date(2000), end: new Date(1000) }), /end time/);
    });

    it("sends a draft: Sent Items for the sender, Inbox copy for a local recipient", async () => {
      const w = await fresh();
      const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
      const d = await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "Lunch?", bodyText: "noon", to: [{ name: "Bob", address: "BOB@contoso.example" }], isDraft: true });
      const sent = await store.items.send(d.id);
      assert.equal(sent.isDraft, false);
      assert.equal(sent.folderId, (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "sentitems"))!.id);
      const bobInbox = (await store.mailboxes.resolveFolder(w.bob.mailbox.id, "inbox"))!;
      const { items } = await store.items.list(bobInbox.id);
      assert.equal(items.length, 1);
      assert.equal(items[0]!.subject, "Lunch?");
      assert.equal(items[0]!.isRead, false);
      await assert.rejects(store.items.send(d.id), /only a draft/);
    });

    it("keeps internet headers of imported mail and edits custom headers on drafts (256 KB cap)", async () => {
      const w = await fresh();
      const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
      const d = await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "h", isDraft: true });
      await store.items.setInternetHeaders(d.id, { "x-preferred-fruit": "Mango", "x-count": "2" });
      await store.items.removeInternetHeaders(d.id, ["X-COUNT"]);
      assert.equal(await store.items.internetHeaders(d.id), "x-preferred-fruit: Mango");
      await assert.rejects(store.items.setInternetHeaders(d.id, { "x-evil": "a\r\nBcc: victim@x" }), /line break/);
      await assert.rejects(store.items.setInternetHeaders(d.id, { "x-big": "a".repeat(300 * 1024) }), (e: MailboxError) => e.code === "LimitExceeded");
    });
  });

  describe("add-in data", () => {
    it("keeps custom properties per item per add-in, capped at 2,500 characters", async () => {
      const w = await fresh();
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const item = await store.items.create(w.alice.mailbox.id, inbox.id, { subject: "cp" });
      await store.addinData.setCustomProperties(item.id, "addin-a", { k: "v" });
      assert.deepEqual(await store.addinData.getCustomProperties(item.id, "addin-a"), { k: "v" });
      assert.deepEqual(await store.addinData.getCustomProperties(item.id, "addin-b"), {}, "another add-in sees nothing");
      await assert.rejects(store.addinData.setCustomProperties(item.id, "addin-a", { k: "x".repeat(2500) }), (e: MailboxError) => e.code === "LimitExceeded");
    });

    it("keeps roaming settings per add-in per user, capped at 32 KB", async () => {
      const w = await fresh();
      await store.addinData.setRoamingSettings(w.alice.user.id, "addin-a", { theme: "dark" });
      assert.deepEqual(await store.addinData.getRoamingSettings(w.alice.user.id, "addin-a"), { theme: "dark" });
      assert.deepEqual(await store.addinData.getRoamingSettings(w.bob.user.id, "addin-a"), {});
      await assert.rejects(store.addinData.setRoamingSettings(w.alice.user.id, "addin-a", { v: "x".repeat(33 * 1024) }), (e: MailboxError) => e.code === "LimitExceeded");
    });

    it("manages master categories with Outlook's duplicate and unknown errors", async () => {
      const w = await fresh();
      await store.addinData.addMasterCategories(w.alice.mailbox.id, [{ name: "Urgent", color: "Preset0" }]);
      await assert.rejects(store.addinData.addMasterCategories(w.alice.mailbox.id, [{ name: "urgent" }]), (e: MailboxError) => e.code === "DuplicateCategory");
      await assert.rejects(store.addinData.removeMasterCategories(w.alice.mailbox.id, ["Nope"]), (e: MailboxError) => e.code === "InvalidCategory");
      await store.addinData.removeMasterCategories(w.alice.mailbox.id, ["Urgent"]);
      assert.deepEqual(await store.addinData.listMasterCategories(w.alice.mailbox.id), []);
    });
  });

  describe("import", () => {
    it("is idempotent by Message-ID, and by raw hash for messages without one", async () => {
      const w = await fresh();
      const noId = new TextEncoder().encode("From: a@x.example\r\nTo: alice@contoso.example\r\nSubject: no id\r\n\r\nbody\r\n");
      const msgs = [...generateSeedMessages(30, { to: { name: "Alice", address: "alice@contoso.example" } })];
      const src = async function* () {
        yield* msgs;
        yield { raw: noId, origin: "noid" };
        yield { raw: noId, origin: "noid-again" };
      };
      const first = await importMessages(store, src(), { mailboxId: w.alice.mailbox.id, batchSize: 7 });
      assert.equal(first.imported, 31);
      assert.equal(first.skipped, 1);
      const second = await importMessages(store, src(), { mailboxId: w.alice.mailbox.id, batchSize: 7 });
      assert.equal(second.imported, 0);
      assert.equal(second.skipped, 32);
      assert.equal(await store.items.count(w.alice.mailbox.id), 31);
    });

    it("reports a broken message without losing the rest of its batch", async () => {
      const w = await fresh();
      const nul = new TextEncoder().encode("From: a@x.example\r\nSubject: nul\u0000byte\r\nMessage-ID: <nul@x>\r\n\r\nbody \u0000 here\r\n");
      const good = [...generateSeedMessages(3, { to: { name: "Alice", address: "alice@contoso.example" } })];
      const r = await importMessages(store, (async function* () { yield good[0]!; yield { raw: nul, origin: "nul" }; yield good[1]!; yield good[2]!; })(), { mailboxId: w.alice.mailbox.id });
      assert.equal(r.imported, 4, JSON.stringify(r.failures));
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const subjects = (await store.items.list(inbox.id)).items.map((i) => i.subject);
      assert.ok(subjects.includes("nul\uFFFDbyte"));
    });
  });

  describe("security events", () => {
    it("stores and lists events per tenant", async () => {
      await fresh();
      await store.security.record({ surface: "rest", reason: "other-item", tenantId: "contoso", detail: { status: 403 } });
      await store.security.record({ surface: "ews", reason: "expired", tenantId: "fabrikam" });
      const list = await store.security.list({ tenantId: "contoso" });
      assert.equal(list.length, 1);
      assert.equal(list[0]!.reason, "other-item");
      assert.deepEqual(list[0]!.detail, { status: 403 });
    });
  });
}
